package io.loomas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminalTheBarRedrawsInPlaceAndMessagesPrintAboveIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), Progress.Mode.BAR, true,
                Duration.ofSeconds(10));
        p.total(8);
        p.update(2, 0); // the first update draws at once
        p.message("FAILED seed 3: planted");
        p.update(8, 1);
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        // Each drawing starts with a carriage return and an erase of the line, so the bar stays on one line.
        assertThat(out).contains("\r\033[2K[\033[32m#####\033[2m---------------\033[0m] 2/8 25% ");
        assertThat(out).contains("\r\033[2KFAILED seed 3: planted\n");
        assertThat(out).contains("\033[31;1m1 failed\033[0m").endsWith("\n");
        assertThat(out.lines().filter(l -> l.contains("FAILED"))).hasSize(1);
        // Without the colour codes the bar's line fits in 80 columns, or a terminal would wrap it and leave copies behind.
        assertThat(out.replaceAll("\033\\[[0-9;]*[a-zA-Z]", "").split("\r")).allMatch(part -> part.strip().length() <= 79);
    }

    @Test
    void withoutColourTheBarIsPlainCharacters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), Progress.Mode.BAR, false,
                Duration.ofSeconds(10));
        p.total(4);
        p.update(4, 0);
        p.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[####################] 4/4 100% ")
                .doesNotContain("\033[3");
    }

    @Test
    void etaAndDurationsReadLikeAClock() {
        assertThat(Progress.duration(42)).isEqualTo("42s");
        assertThat(Progress.duration(206)).isEqualTo("3m26s");
        assertThat(Progress.duration(7300)).isEqualTo("2h01m");
    }
}

package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.Channel;
import io.loomas.junit.LoomasTest;
import io.loomas.junit.TransportContext;
import java.io.IOException;
import org.junit.jupiter.api.Test;

// The example of LoomasTest's Javadoc, run by the kit it shows.
// @start region="loomas-test"
@LoomasTest
class GreeterTest {
    @Test
    void answers(TransportContext ctx) throws IOException {
        Channel channel = ctx.startServerAndConnect(c -> c.recv().reply("cya"));
        assertThat(channel.send("ohai")).isEqualTo("cya");
    }
}
// @end

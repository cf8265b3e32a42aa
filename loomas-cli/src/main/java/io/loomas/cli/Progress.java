package io.loomas.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * How far a sweep is: on a terminal, one line redrawn in place (a bar, seeds done, seeds/s, ETA,
 * failures so far); elsewhere (a CI log, a pipe) a plain line every so often, with no control
 * characters. Messages (a failure, say) print above the bar. Used from the sweep's thread only.
 */
final class Progress {
    /** How progress shows. */
    enum Mode {
        /** Pick {@link #BAR} on a terminal, {@link #LINES} elsewhere. */
        AUTO,
        /** A bar redrawn in place. */
        BAR,
        /** Plain periodic lines. */
        LINES,
        /** Nothing but messages. */
        NONE
    }

    private static final int WIDTH = 20; // with the short status, the line fits in 80 columns (a wrapped bar cannot redraw)

    private final PrintStream out;
    private final Mode mode;
    private final boolean colour;
    private final long everyNanos;
    private final long startNanos = System.nanoTime();
    private long total;
    private long lastPrint; // when the bar or line was last shown; the bar shows at its first update
    private boolean barShown;
    private long done;
    private long failed;
    private long printedDone = -1; // what the last plain line said was done

    Progress(PrintStream out, Mode mode, boolean colour, Duration every) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
        // NO_COLOR (no-color.org) turns colours off, as picocli does for help.
        this.colour = colour && this.mode == Mode.BAR && System.getenv("NO_COLOR") == null;
        this.everyNanos = every.toNanos();
        this.lastPrint = this.mode == Mode.BAR ? startNanos - 1_000_000_000L : startNanos;
    }

    /** {@return whether standard output is a terminal (on JDK 22+ Console says so; on 21 a console means one)} */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is null unless both ends are a terminal
        }
    }

    Mode mode() {
        return mode;
    }

    void total(long runs) {
        this.total = runs;
    }

    /** Notes how many runs ended and failed so far, and shows it if it is time. */
    void update(long done, long failed) {
        this.done = done;
        this.failed = failed;
        long now = System.nanoTime();
        if (total == 0) {
            return; // the workers have not said yet how many tests the target has
        }
        if (mode == Mode.BAR && now - lastPrint >= 100_000_000L) {
            lastPrint = now;
            drawBar();
        } else if (mode == Mode.LINES && now - lastPrint >= everyNanos) {
            lastPrint = now;
            printedDone = done;
            out.println("progress: " + status());
        }
    }

    /** Prints {@code line} (above the bar, on a terminal). */
    void message(String line) {
        clearBar();
        out.println(line);
        if (mode == Mode.BAR) {
            drawBar();
        }
    }

    /** Shows the last state and leaves the line for what follows. */
    void finish() {
        if (mode == Mode.BAR) {
            drawBar();
            out.println();
            barShown = false;
        } else if (mode == Mode.LINES && printedDone != done) {
            out.println("progress: " + status());
        }
        out.flush();
    }

    private void clearBar() {
        if (barShown) {
            out.print("\r\033[2K");
            barShown = false;
        }
    }

    private void drawBar() {
        int filled = total == 0 ? 0 : (int) Math.min(WIDTH, done * WIDTH / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String text = shortStatus();
        if (colour) {
            bar = "\033[32m" + "#".repeat(filled) + "\033[2m" + "-".repeat(WIDTH - filled) + "\033[0m";
            if (failed > 0) {
                text = text.replace(failed + " failed", "\033[31;1m" + failed + " failed\033[0m");
            }
        }
        out.print("\r\033[2K[" + bar + "] " + text);
        out.flush();
        barShown = true;
    }

    /** {@return "512/1000 seeds (51%), 71.2 seeds/s, ETA 7s, 0 failed"} */
    String status() {
        return String.format(Locale.ROOT, "%d/%d seeds (%d%%), %.1f seeds/s, ETA %s, %d failed", done, total,
                percent(), rate(), eta(), failed);
    }

    /** {@return "512/1000 51% 71.2/s ETA 7s 0 failed", for the bar} */
    private String shortStatus() {
        return String.format(Locale.ROOT, "%d/%d %d%% %.1f/s ETA %s %d failed", done, total, percent(), rate(), eta(), failed);
    }

    private long percent() {
        return total == 0 ? 0 : done * 100 / total;
    }

    private double rate() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }

    private String eta() {
        double rate = rate();
        return rate > 0 && total > done ? duration((long) Math.ceil((total - done) / rate)) : done >= total ? "0s" : "?";
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
        }
        return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02dm", seconds % 3600 / 60);
    }
}

package io.loomas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trace viewer in a real browser: Debian's headless Chromium, driven through Debian's
 * chromedriver. The pages come from {@code loomas replay} of real simulations; the assertions are
 * on the DOM the page drew. Screenshots stay in {@code target/viewer-test}. Where no Chromium can
 * run, the tests are skipped, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path ARTIFACTS = Path.of(System.getProperty("loomas.viewer.artifacts", "target/viewer-test"));

    @TempDir
    Path dir;

    WebDriver browser;

    @BeforeAll
    void startChromium(@TempDir Path profile) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no Chromium here (" + CHROMIUM + ", " + DRIVER + "): the viewer's browser tests are skipped;"
                        + " apt-get install chromium chromium-driver (.ci/run does) to run them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a container: no sandbox; the network is closed, so none of Chromium's own calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--window-size=1600,2400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        try {
            browser = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            Assumptions.abort("Chromium is installed but does not start here, so the viewer's browser tests are skipped: " + e);
        }
    }

    @AfterAll
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void open(Path page) {
        browser.get(page.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> Boolean.TRUE.equals(
                js("return !!(window.loomasViewer && window.loomasViewer.ready)")));
    }

    private int count(String css) {
        return browser.findElements(By.cssSelector(css)).size();
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(ARTIFACTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTIFACTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aFailingRunShowsItsMessagesFaultsAndFailure() throws Exception {
        Cli.Result r = Cli.run(dir, "replay", "io.loomas.cli.fixtures.Forgetful", "--seed", "0", "--trace", "forgetful.jsonl",
                "--html", "forgetful.html");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        List<String> trace = Files.readAllLines(dir.resolve("forgetful.jsonl"));
        long sends = trace.stream().filter(l -> l.contains("\"kind\": \"send\"")).count();
        assertThat(sends).isGreaterThan(4);
        open(dir.resolve("forgetful.html"));
        browser.findElement(By.id("first")).click(); // the page opens at the failure; from the top, every row is in view

        assertThat(count("#sequence svg line.msg")).as("one arrow per message sent").isEqualTo((int) sends);
        assertThat(browser.findElement(By.cssSelector("#sequence svg")).getAttribute("data-messages-drawn"))
                .isEqualTo(Long.toString(sends));
        assertThat(count("#sequence svg line.msg.rpc-reply")).as("replies paired with their calls").isPositive();
        assertThat(count("#timeline .fault-band.fault-crash")).as("the crash of b, as a band").isEqualTo(1);
        assertThat(count("#timeline .fault-band.fault-partition")).as("the partition, both ways").isEqualTo(2);
        assertThat(count("#timeline .task-tick")).isPositive();
        assertThat(count("#timeline .failure-mark")).isPositive();
        WebElement failure = browser.findElement(By.id("failure"));
        assertThat(failure.isDisplayed()).isTrue();
        assertThat(failure.getText()).contains("planted: b forgot what a told it before the crash")
                .contains("at io.loomas.cli.fixtures.Forgetful.accept(Forgetful.java:")
                .contains("loomas replay io.loomas.cli.fixtures.Forgetful --seed 0");
        screenshot("forgetful.png");

        // Stepping: forward one event, then back; the cursor's event is the one described.
        String before = browser.findElement(By.id("cursor-label")).getText();
        browser.findElement(By.id("next")).click();
        assertThat(browser.findElement(By.id("cursor-label")).getText()).isNotEqualTo(before).startsWith("event 2 of ");
        browser.findElement(By.id("prev")).click();
        assertThat(browser.findElement(By.id("cursor-label")).getText()).isEqualTo(before);
        browser.findElement(By.id("next-time")).click();
        assertThat(browser.findElement(By.id("cursor-label")).getText()).doesNotContain("t = 0 s");

        // Clicking a tick of the timeline lists the tasks that ran there and what they woke on.
        browser.findElement(By.cssSelector("#timeline .task-tick")).click();
        assertThat(browser.findElement(By.id("event")).getText()).startsWith("Tasks that ran on ").contains("last woke after: ");

        // Clicking a message describes it with its reply.
        browser.findElement(By.cssSelector("#sequence svg line.msg:not(.rpc-reply)")).click();
        assertThat(browser.findElement(By.id("event")).getText()).contains("message").contains("preview");

        // Search counts the rows that match.
        browser.findElement(By.id("search")).sendKeys("echo");
        assertThat(browser.findElement(By.id("search-count")).getText()).matches("\\d+ match(es)?");
        assertThat(count("#sequence svg rect.row-bg.match")).isPositive();

        // Hiding node b hides every message (each one is to or from b) and b's row of the timeline.
        browser.findElement(By.cssSelector("#filters summary")).click();
        browser.findElement(By.cssSelector("#node-filters input[data-node='b']")).click();
        assertThat(count("#sequence svg line.msg")).isZero();
        assertThat(count("#timeline .fault-band.fault-crash")).isZero();
        browser.findElement(By.cssSelector("#node-filters input[data-node='b']")).click();
        assertThat(count("#sequence svg line.msg")).isEqualTo((int) sends);

        // Hiding a kind takes its rows out; showing the task switches adds theirs.
        int rows = count("#sequence svg rect.row-bg");
        browser.findElement(By.cssSelector("#kind-filters input[data-kind='run']")).click();
        assertThat(browser.findElement(By.id("cursor-label")).getText()).isNotEmpty();
        assertThat(count("#sequence svg rect.row-bg")).isGreaterThan(rows);

        // Filtering by task keeps only what that task did.
        browser.findElement(By.id("task-filter")).sendKeys("held call");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> count("#sequence svg rect.row-bg") < rows);
        screenshot("forgetful-filtered.png");
    }

    @Test
    void aTraceOfOneHundredThousandEventsLoadsAndSteps() throws Exception {
        Cli.Result r = Cli.run(dir, "replay", "io.loomas.cli.fixtures.Chatter", "--seed", "1", "--trace", "chatter.jsonl",
                "--html", "chatter.html");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        long events = Files.lines(dir.resolve("chatter.jsonl")).count();
        assertThat(events).isGreaterThanOrEqualTo(100_000);
        long t0 = System.nanoTime();
        open(dir.resolve("chatter.html"));
        long wall = (System.nanoTime() - t0) / 1_000_000;
        @SuppressWarnings("unchecked")
        Map<String, Object> viewer = (Map<String, Object>) js("return window.loomasViewer");
        long shown = ((Number) viewer.get("loadMillis")).longValue();
        System.out.printf("viewer: %d events (%d MB page) shown in %d ms after navigation (%d ms for the test to see it)%n",
                events, Files.size(dir.resolve("chatter.html")) >> 20, shown, wall);
        assertThat(((Number) viewer.get("events")).longValue()).isEqualTo(events);
        assertThat(shown).as("load time of a 100,000-event trace").isLessThan(15_000);
        // Only what is in view is drawn: a few dozen rows, not 100,000.
        assertThat(count("#sequence svg rect.row-bg")).isBetween(10, 400);
        // Twenty steps in the page itself (a click through the driver costs more than the step).
        double perStep = ((Number) js("const t = performance.now(); for (let i = 0; i < 20; i++)"
                + " document.getElementById('next').click(); return (performance.now() - t) / 20;")).doubleValue();
        System.out.printf("viewer: a step through the 100,000-event trace takes %.1f ms%n", perStep);
        assertThat(perStep).as("a step, in ms (generous: a loaded machine)").isLessThan(1000);
        assertThat(browser.findElement(By.id("cursor-label")).getText()).startsWith("event 21 of ");
        browser.findElement(By.id("last")).click();
        assertThat(count("#sequence svg rect.row-bg.cursor-row")).isEqualTo(1);
        screenshot("chatter-100k.png");
    }
}

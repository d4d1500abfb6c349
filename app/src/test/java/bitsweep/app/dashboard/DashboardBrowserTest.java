package bitsweep.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's chromium through chromium-driver, headless) while a sweep with
 * simulated trainers runs: rows move through their states and the frontier grows without a reload, and
 * the cancel button stops a running trial. Skipped when chromium is missing, except under CI=true, where
 * .ci/run installs it and a missing browser is a failure.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung stream or browser must fail, not stall CI
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the mid-sweep screenshot goes (the module's target folder). */
    static final Path SCREENSHOT = Path.of("target", "dashboard-mid-sweep.png");

    @TempDir
    Path tmp;
    private ChromeDriver browser;

    @BeforeEach
    void needsChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs "
                    + "the Debian packages chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed (apt-get install chromium "
                + "chromium-driver); skipped outside CI");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private ChromeDriver open(String url) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(url);
        return browser;
    }

    private String status(String trialId) {
        List<WebElement> rows = browser.findElements(By.xpath("//tr[@id='trial-" + trialId + "']"));
        try {
            return rows.isEmpty() ? "" : rows.get(0).getAttribute("data-status");
        } catch (StaleElementReferenceException e) {
            return ""; // the table was redrawn between finding and reading
        }
    }

    private int plottedPoints() {
        return browser.findElements(By.cssSelector("#frontier circle.point")).size();
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    @Test
    void rowsMoveFromQueuedToCompletedTheFrontierGrowsLiveAndCancelStopsARunningTrial() throws Exception {
        Sweep sweep = DashboardApiTest.sweep("browser", "0.01, 0.1, 1.0", 4);
        String hanging = sweep.trials().get(0).trialId(); // runs until cancelled: it is there to be cancelled
        String first = sweep.trials().get(1).trialId();
        String watched = sweep.trials().get(2).trialId(); // queued behind the two above on two workers
        var sim = SimulatedTrialRunner.Settings.durations(5000, 5000).hanging(Set.of(hanging));
        try (SweepUnderTest s = SweepUnderTest.start(sweep, tmp.resolve("results"), true, 2, sim, "127.0.0.1",
                null)) {
            // paused until the page is up: starting a browser takes seconds, the watched trial must still be queued
            assertEquals(200, new Http(s.baseUrl, null).post("/api/sweep/pause", null).statusCode());
            open(s.baseUrl + "/");
            JavascriptExecutor js = browser;
            js.executeScript("window.bitsweepNoReload = 'still the same page';");
            await(() -> status(watched).equals(TrialStatus.QUEUED.text()), watched + " shows queued");
            await(() -> browser.findElement(By.id("sweep-state")).getText().equals("paused"), "the page shows paused");
            browser.findElement(By.id("resume")).click();

            List<String> seen = new ArrayList<>();
            await(() -> {
                String st = status(watched);
                if (!st.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(st))) {
                    seen.add(st);
                }
                return st.equals(TrialStatus.RUNNING.text());
            }, watched + " runs");
            // the next trial may start while the finished one's result is still being transferred
            await(() -> plottedPoints() == 1, "the first finished trial is on the plot");
            assertEquals("running", status(hanging));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            await(() -> {
                String st = status(watched);
                if (!st.isEmpty() && !seen.get(seen.size() - 1).equals(st)) {
                    seen.add(st);
                }
                return st.equals(TrialStatus.COMPLETED.text());
            }, watched + " completes");
            assertEquals(List.of("queued", "running", "completed"), seen);
            await(() -> plottedPoints() == 2, "the frontier plot gains the second point");

            WebElement cancel = browser.findElement(By.xpath("//tr[@id='trial-" + hanging
                    + "']//button[contains(@class,'cancel-trial')]"));
            cancel.click();
            await(() -> status(hanging).equals(TrialStatus.CANCELLED.text()), hanging + " shows cancelled");
            await(() -> browser.findElement(By.id("sweep-state")).getText().equals("complete"), "the sweep ends");
            assertTrue(browser.findElement(By.id("message")).getText().startsWith("trial " + hanging + " cancelled"));
            assertEquals("still the same page", js.executeScript("return window.bitsweepNoReload;"),
                    "everything above came through the event stream, without a reload");

            SweepCompletion done = s.completion().get(30, TimeUnit.SECONDS);
            assertEquals(2, done.count(TrialStatus.COMPLETED));
            assertEquals(1, done.count(TrialStatus.CANCELLED));
            assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot");
        }
    }
}

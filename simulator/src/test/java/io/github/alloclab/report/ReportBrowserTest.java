package io.github.alloclab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.replay.PreparedTrace;
import io.github.alloclab.replay.ReplayProgress;
import io.github.alloclab.trace.BundledTraces;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens a real report in headless Chromium, through Selenium and the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs): no console errors, the
 * expected elements, and a screenshot that is a picture and not a blank page. Nothing is downloaded: the
 * driver and the browser are named by path, and Chromium's background networking is off.
 */
class ReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theReportLoadsCleanlyAndDrawsSomething(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                        + ".ci/run installs them");
        List<String> allocators = List.of("firstfit", "buddy", "slab", "malloc");
        AllocatorRegistry registry = AllocatorRegistry.standard();
        TraceReport trace = new ReportBuilder(100, registry::create, ReplayProgress.NONE)
                .build(new PreparedTrace(BundledTraces.find("ls_l_usr_share_doc.mtrace").orElseThrow()), allocators);
        Path html = dir.resolve("report.html");
        Files.writeString(html, new ReportPage(List.of(trace), allocators,
                new ReportPlots(List.of(trace), allocators)).html());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            driver.manage().window().setSize(new Dimension(1500, 1800));
            driver.get(html.toUri().toString());

            assertThat(driver.getTitle()).isEqualTo("alloclab report: ls_l_usr_share_doc.mtrace");
            assertThat(driver.findElements(By.cssSelector("figure.panel")))
                    .extracting(e -> e.getDomAttribute("data-allocator")).containsExactlyElementsOf(allocators);
            int rows = trace.rowOps().length;
            assertThat(driver.findElements(By.cssSelector("svg.timeline g.row"))).hasSize(4 * rows);
            assertThat(driver.findElements(By.cssSelector("figure.plot svg"))).hasSize(3);
            var timeline = driver.findElement(By.cssSelector("figure.panel svg.timeline"));
            assertThat(timeline.getRect().getWidth()).as("a panel's share of the page").isGreaterThan(200);
            assertThat(timeline.getRect().getHeight()).isGreaterThan(rows * 3 - 1);

            List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertThat(severe).as("console errors").isEmpty();

            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve("screenshot.png"), png);
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            Set<Integer> colours = new HashSet<>();
            long notWhite = 0;
            for (int y = 0; y < shot.getHeight(); y += 2) {
                for (int x = 0; x < shot.getWidth(); x += 2) {
                    int rgb = shot.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    if (rgb != 0xffffff) {
                        notWhite++;
                    }
                }
            }
            long sampled = (long) ((shot.getHeight() + 1) / 2) * ((shot.getWidth() + 1) / 2);
            assertThat(colours.size()).as("distinct colours").isGreaterThan(50);
            assertThat((double) notWhite / sampled).as("share of non-white pixels").isGreaterThan(0.1);
        } finally {
            driver.quit();
        }
    }
}

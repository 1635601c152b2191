package io.sweepfarm.cli.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver, headless: nothing is downloaded at test time (Selenium
 * Manager is never asked, because both paths are given). {@link #find} says whether both are installed.
 */
final class Browser {

    /** Where Debian's {@code chromium} and {@code chromium-driver} packages put them; overridable by properties. */
    private static final String CHROMIUM = System.getProperty("sweepfarm.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("sweepfarm.chromedriver", "/usr/bin/chromedriver");

    private Browser() {
    }

    /** Why the browser tests cannot run here, or empty when chromium and chromedriver are installed. */
    static Optional<String> missing() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(DRIVER))) {
            return Optional.of("chromium (" + CHROMIUM + ") or chromedriver (" + DRIVER + ") is not installed; "
                    + "the web UI's browser tests are skipped. Install them with: apt-get install chromium "
                    + "chromium-driver (.ci/run does)");
        }
        return Optional.empty();
    }

    /** A headless chromium window of 1280×900. */
    static ChromeDriver start() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--hide-scrollbars", "--lang=en-US");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves what the window shows as {@code target/ui-screenshots/<name>.png}. */
    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "ui-screenshots"));
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot " + name, e);
        }
    }
}

package io.sweepfarm.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.LocalFarm;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.png.PngText;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's headless chromium) against the one-machine stack: devstack, the packaged
 * coordinator and a CPU worker on the generated tiny model. Skipped, with the reason, where chromium or chromedriver
 * is not installed. Screenshots of every page go to {@code target/ui-screenshots/}.
 */
class WebUiIT {

    @TempDir
    static Path state;
    static LocalFarm farm;
    static SweepfarmClient api;
    static ChromeDriver browser;
    /** A small finished sweep: 2 CFG scales × 2 step counts × 2 seeds. */
    static UUID finished;

    @BeforeAll
    static void start() {
        Browser.missing().ifPresent(reason -> Assumptions.abort(reason));
        Path home = Path.of(System.getProperty("sweepfarm.home", "..")).toAbsolutePath().normalize();
        farm = LocalFarm.start(new LocalFarm.Options(home, state, false, "tiny", state.resolve("model"), "cpu"),
                System.out::println);
        api = new SweepfarmClient(farm.coordinatorUrl());
        browser = Browser.start();
        finished = submit(sweep("fox study", List.of(1.0, 7.0), List.of(2, 4), List.of(3L, 4L)));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(finished).state() == SweepState.COMPLETED);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (farm != null) {
            farm.close();
        }
    }

    private static Map<String, Object> sweep(String name, List<Double> cfgs, List<Integer> steps, List<Long> seeds) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("model", "tiny");
        spec.put("prompts", List.of("a red fox in the snow, watercolor"));
        spec.put("cfg_scales", cfgs);
        spec.put("steps", steps);
        spec.put("samplers", List.of("ddim"));
        spec.put("seeds", seeds);
        spec.put("width", 64);
        spec.put("height", 64);
        return spec;
    }

    private static UUID submit(Map<String, Object> spec) {
        return api.createSweep(Json.toString(spec).getBytes(StandardCharsets.UTF_8)).id();
    }

    private static void open(String path) {
        browser.get(farm.coordinatorUrl() + path);
    }

    /** Waits, reading elements afresh each time (live updates replace parts of the page). */
    private static WebDriverWait waiting(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(200));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    private static void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    @Test
    void aSweepComposedWithARangeShowsItsCountAndItsProgressReachesDoneWithoutReloading() {
        open("/sweeps/new");
        type("name", "browser sweep");
        type("model", "tiny");
        type("prompts", "a lighthouse on a cliff at dusk");
        type("negative_prompts", "");
        type("cfg_scales", "1-7 (+3)");
        type("steps", "3");
        type("seeds", "10-11");
        type("sizes", "64x64");
        WebElement eulerA = browser.findElement(By.cssSelector("input[name=samplers][value=euler_a]"));
        WebElement ddim = browser.findElement(By.cssSelector("input[name=samplers][value=ddim]"));
        if (eulerA.isSelected()) {
            eulerA.click();
        }
        ddim.click();
        // 3 CFG scales (1, 4, 7) × 2 seeds, counted by the dry run as the form changes.
        waiting(Duration.ofSeconds(20)).until(ExpectedConditions.attributeToBe(By.id("image-count"), "data-count",
                "6"));
        assertThat(browser.findElements(By.cssSelector("table.first tbody tr"))).hasSize(6);
        Browser.screenshot(browser, "new-sweep");

        browser.findElement(By.cssSelector("#compose button.primary")).click();
        waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlMatches("/sweeps/[0-9a-f-]{36}$"));
        ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");

        WebDriverWait minutes = waiting(Duration.ofMinutes(3));
        minutes.until(ExpectedConditions.attributeToBe(By.cssSelector("#progress .bar"), "aria-valuenow", "100"));
        minutes.until(ExpectedConditions.textToBe(By.id("sweep-state"), "completed"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__notReloaded === true"))
                .as("the progress came by push, the page was never reloaded").isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("#progress .summary")).getText()).isEqualTo("6 of 6 done");
        // Thumbnails were pushed as the images finished.
        minutes.until(d -> d.findElements(By.cssSelector("#gallery li img")).size() == 6);
        waiting(Duration.ofSeconds(20)).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)"));
        Browser.screenshot(browser, "sweep");

        // A finished sweep's page shows its images as plain <img> thumbnails, no script needed.
        String html = new String(api.download(browser.getCurrentUrl()), StandardCharsets.UTF_8);
        assertThat(html.split("/thumbnail\"", -1)).hasSize(7);
    }

    @Test
    void aControlNetUnitIsAddedByKeyboardAndItsUploadedControlImageMultipliesTheCount() throws Exception {
        open("/sweeps/new");
        type("model", "tiny");
        WebDriverWait w = waiting(Duration.ofSeconds(20));
        // The defaults: 3 CFG scales × 4 seeds.
        w.until(ExpectedConditions.attributeToBe(By.id("image-count"), "data-count", "12"));
        // The farm's lane has no ControlNet "canny": without waiting for a worker that has it, the preview would
        // be refused (controlnets[0].model), as submission would be.
        browser.findElement(By.name("wait_for_model")).click();
        browser.findElement(By.cssSelector("#controlnet-units summary")).click();
        browser.findElement(By.id("controlnet_add")).sendKeys(Keys.ENTER);
        w.until(d -> "controlnet_model".equals(d.switchTo().activeElement().getAttribute("name")));
        browser.switchTo().activeElement().sendKeys("canny");
        WebElement scales = browser.findElement(By.name("controlnet_scales"));
        scales.clear();
        scales.sendKeys("0.5, 1");

        BufferedImage edges = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 8; i < 56; i++) {
            edges.setRGB(i, i, 0xffffff);
            edges.setRGB(i, 63 - i, 0xffffff);
        }
        Path file = state.resolve("edges.png");
        java.nio.file.Files.write(file, PngText.write(edges, Map.of()));
        browser.findElement(By.name("controlnet_image_file_0")).sendKeys(file.toString());
        w.until(d -> d.findElements(By.cssSelector("#controlnets img[alt='control image of unit 0']")).size() == 1);
        w.until(ExpectedConditions.attributeToBe(By.id("image-count"), "data-count", "24"));
        assertThat(browser.findElement(By.cssSelector("table.first tbody td.modes")).getText())
                .isEqualTo("ControlNet canny:0.5:0:1");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('controlnet-units').scrollIntoView()");
        Browser.screenshot(browser, "new-sweep-controlnet");

        browser.findElement(By.xpath("//button[text()='Remove unit 0']")).click();
        w.until(ExpectedConditions.attributeToBe(By.id("image-count"), "data-count", "12"));
        assertThat(browser.findElements(By.name("controlnet_model"))).isEmpty();
    }

    @Test
    void theBrowsePageFiltersByAnyParameterAndOpensAnImage() {
        open("/images?sweep_id=" + finished);
        WebDriverWait w = waiting(Duration.ofSeconds(20));
        w.until(d -> d.findElements(By.cssSelector("#results li.tile img")).size() == 8);
        type("f-cfg_scale_min", "5");
        type("f-steps_max", "2");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        w.until(ExpectedConditions.urlContains("cfg_scale_min=5"));
        w.until(d -> d.findElements(By.cssSelector("#results li.tile")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#results .caption")))
                .allSatisfy(c -> assertThat(c.getText()).contains("cfg 7").contains("2 steps"));
        Browser.screenshot(browser, "browse");

        browser.findElement(By.cssSelector("#results li.tile a")).click();
        w.until(ExpectedConditions.textToBePresentInElementLocated(By.id("infotext"), "Steps: 2, Sampler: DDIM, "
                + "CFG scale: 7"));
        w.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const i = document.querySelector('img.full'); return i.complete && i.naturalWidth === 64"));
        Browser.screenshot(browser, "image");
    }

    @Test
    void theGridChangesAxesAndExportsOneLabelledPng() {
        open("/sweeps/" + finished + "/grid");
        WebDriverWait w = waiting(Duration.ofSeconds(20));
        w.until(d -> d.findElements(By.cssSelector("table.xy tbody tr")).size() == 2);
        assertThat(new Select(browser.findElement(By.id("g-x"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("cfg_scale");
        assertThat(new Select(browser.findElement(By.id("g-y"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("steps");

        new Select(browser.findElement(By.id("g-y"))).selectByValue("seed");
        w.until(ExpectedConditions.urlContains("y=seed"));
        w.until(d -> d.findElements(By.cssSelector("table.xy tbody th")).stream().map(WebElement::getText).toList()
                .equals(List.of("3", "4")));
        assertThat(browser.findElements(By.cssSelector("table.xy tbody img"))).hasSize(4);
        assertThat(browser.findElements(By.id("g-steps"))).as("steps is now fixed by a selector").hasSize(1);
        w.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('table.xy img')].every(i => i.complete && i.naturalWidth > 0)"));
        Browser.screenshot(browser, "grid");

        String export = browser.findElement(By.linkText("Export PNG")).getAttribute("href");
        BufferedImage png = PngText.readImage(api.download(export));
        assertThat(png.getWidth()).isGreaterThan(2 * 64);
        assertThat(png.getHeight()).isGreaterThan(2 * 64);
    }

    @Test
    void aSweepIsPausedAndResumedFromItsPageAndTheListShowsIt() {
        UUID id = submit(sweep("pause me", List.of(3.0, 5.0, 7.0, 9.0), List.of(20),
                java.util.stream.LongStream.range(1, 201).boxed().toList()));
        try {
            open("/sweeps/" + id);
            WebDriverWait w = waiting(Duration.ofSeconds(30));
            browser.findElement(By.xpath("//button[text()='Pause']")).click();
            w.until(ExpectedConditions.textToBe(By.id("sweep-state"), "paused"));
            assertThat(api.sweep(id).state()).isEqualTo(SweepState.PAUSED);
            Browser.screenshot(browser, "sweep-paused");

            browser.findElement(By.xpath("//button[text()='Resume']")).click();
            w.until(ExpectedConditions.textToBe(By.id("sweep-state"), "running"));
            assertThat(api.sweep(id).state()).isEqualTo(SweepState.RUNNING);

            open("/");
            w.until(d -> d.findElements(By.id("sweep-" + id)).size() == 1);
            w.until(d -> d.findElement(By.id("sweep-" + finished)).getText().contains("fox study"));
            assertThat(browser.findElement(By.id("p-" + finished)).getText()).contains("8 of 8 done");
            Browser.screenshot(browser, "sweeps");
            open("/fleet");
            w.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.lanes"), "tiny"));
            assertThat(browser.findElement(By.cssSelector("table.load")).getText()).contains("tiny");
            Browser.screenshot(browser, "fleet");
        } finally {
            if (!api.sweep(id).state().isTerminal()) {
                api.control(id, "cancel");
            }
        }
    }
}

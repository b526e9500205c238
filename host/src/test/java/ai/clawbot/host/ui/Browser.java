package ai.clawbot.host.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through Debian's chromedriver (no download, no Selenium Manager), shared by
 * the tests of a class. Every page it opens records, before any of the page's own scripts run, the frames the
 * page sends over WebSocket and any Content-Security-Policy violation.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path SHOTS = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("target/ui-screenshots");

    /** Injected by the browser itself (not subject to the page's CSP): observes, changes nothing the UI relies on. */
    private static final String PROBE = """
            (() => {
              window.__wsSent = [];
              window.__cspViolations = [];
              const send = WebSocket.prototype.send;
              WebSocket.prototype.send = function (data) {
                try { window.__wsSent.push(JSON.parse(data)); } catch (e) { window.__wsSent.push(String(data)); }
                return send.call(this, data);
              };
              document.addEventListener('securitypolicyviolation',
                e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            })();
            """;

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser start() {
        return start(new String[0]);
    }

    /** With extra Chromium switches (e.g. a fake microphone playing a file). */
    static Browser start(String... extraArguments) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(ChromiumRequired.CHROMIUM.toFile());
        o.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--window-size=1280,800", "--lang=en-US");
        o.addArguments(extraArguments);
        if (isRoot()) {
            o.addArguments("--no-sandbox"); // Chromium refuses to start its sandbox as root
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(ChromiumRequired.CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
        Browser b = new Browser(d);
        b.viewport(1280, 800);
        return b;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The page's layout viewport, as a phone (narrow, touch) or a desktop window would have it. */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement visible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T until(String what, Function<WebDriver, T> condition) {
        return until(what, WAIT, condition);
    }

    <T> T until(String what, Duration timeout, Function<WebDriver, T> condition) {
        // The page re-renders items as the transcript catches up: an element read mid-swap is simply read again.
        return new WebDriverWait(driver, timeout).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    WebElement one(By by) {
        return driver.findElement(by);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Whether the document is wider than the window (the page would scroll sideways). */
    boolean scrollsHorizontally() {
        return Boolean.TRUE.equals(js("return document.documentElement.scrollWidth > window.innerWidth"));
    }

    @SuppressWarnings("unchecked")
    List<Object> cspViolations() {
        Object v = js("return window.__cspViolations || []");
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sentFrames() {
        return (List<Map<String, Object>>) js("return (window.__wsSent || []).filter(f => typeof f === 'object')");
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SHOTS);
            Path target = SHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("could not save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}

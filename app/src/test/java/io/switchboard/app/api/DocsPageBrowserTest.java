package io.switchboard.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.testing.Browser;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code /docs} in headless Chromium: Swagger UI, served by the node, renders every operation of the node's document
 * under the page's Content-Security-Policy, with no script or style blocked and nothing fetched from elsewhere.
 */
class DocsPageBrowserTest {
    @TempDir Path tempDir;

    @Test
    void theDocsPageRendersEveryOperationUnderItsContentSecurityPolicy() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            ChromeDriver browser = Browser.start(tempDir.resolve("chromium-profile"), 1280, 1500);
            try {
                String base = "http://127.0.0.1:" + harness.node.httpPort();
                browser.get(base + "/docs");
                List<WebElement> operations = await().atMost(Duration.ofSeconds(30))
                        .until(() -> browser.findElements(By.cssSelector(".opblock")), found -> found.size() >= 30);
                assertThat(operations).hasSize(harness.node.routes().size());
                assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).startsWith("Switchboard");
                assertThat(browser.getPageSource()).contains("/v1/messages/{id}", "/v1/numbers/{number}/usage");

                // A blocked script, style or fetch shows in the page's resource list as not from this node, or
                // in the console as a Content-Security-Policy violation.
                Object elsewhere = browser.executeScript("return performance.getEntriesByType('resource')"
                        + ".map(e => e.name).filter(n => !n.startsWith(arguments[0]))", base);
                assertThat((List<?>) elsewhere).as("everything came from the node").isEmpty();
                assertThat(browser.manage().logs().get("browser").getAll())
                        .as("no Content-Security-Policy violation").noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
            } finally {
                browser.quit();
            }
        }
    }
}

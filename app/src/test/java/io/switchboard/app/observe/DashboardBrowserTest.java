package io.switchboard.app.observe;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Browser;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless Chromium while demo-like traffic runs (a campaign at two priorities, users who read
 * and reply, others who write in unprompted): the page logs in with a project's token from a {@code #token=} link,
 * which never reaches the server in an address and leaves the address bar for an HttpOnly cookie; the figures move without a reload; once the traffic settles they match the API's
 * counts; the project sees only its own number, the admin every number; screenshots (laptop and phone) are kept
 * in {@code app/target/dashboard/}.
 */
class DashboardBrowserTest {
    private static final String NUMBER = "+919800000001";
    private static final String OTHER = "+919800000009";
    private static final Path ARTIFACTS = Path.of("target", "dashboard");
    private static final List<String> KINDS = List.of("send", "receive", "delivery_report", "read_report");
    private static final SimConfig USERS = SimConfig.defaults().withReadProbability(0.8).withReplyProbability(0.2)
            .withReadMillis(200).withReplyMillis(300);

    @TempDir Path tempDir;

    @Test
    void dashboardShowsLiveFiguresThatMatchTheApi() throws Exception {
        Files.createDirectories(ARTIFACTS);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, USERS)) {
            ChromeDriver browser = Browser.start(tempDir.resolve("chromium-profile"), 1280, 1500);
            try {
                String shop = harness.project("Shop");
                harness.number(shop, NUMBER, 100);
                String other = harness.project("Other shop");
                harness.number(other, OTHER, 50);
                String base = "http://127.0.0.1:" + harness.node.httpPort();

                browser.get(base + "/dashboard#token=" + shop);
                assertThat(browser.getCurrentUrl()).as("the token left the address bar").isEqualTo(base + "/dashboard");
                Cookie session = browser.manage().getCookieNamed("sb_dashboard");
                assertThat(session).isNotNull();
                assertThat(session.isHttpOnly()).isTrue();
                assertThat(session.getSameSite()).isEqualTo("Strict");
                assertThat(session.getValue()).doesNotContain(shop);
                awaitFigure(browser, NUMBER, "outgoing.queued", "0");

                List<String> ids = campaign(harness, shop, harness.network.users().subList(0, 200));
                harness.network.setInboundRate(3);
                long sentAtStart = figure(browser, NUMBER, "outgoing.sent");
                long seqAtStart = seq(browser);
                Thread.sleep(5_000);
                long seqLater = seq(browser);
                assertThat(seqLater - seqAtStart).as("samples in 5 s without a reload (one a second)").isGreaterThanOrEqualTo(3);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(figure(browser, NUMBER, "outgoing.sent")).as("sent, moving").isGreaterThan(sentAtStart));
                assertThat(browser.findElements(By.cssSelector("[data-number='" + OTHER + "']")))
                        .as("another project's number").isEmpty();
                screenshot(browser, "dashboard-live.png");

                harness.network.setInboundRate(0);
                Set<String> incoming = new HashSet<>();
                Map<String, Long> fromApi = new LinkedHashMap<>();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Map<String, Long> api = apiCounts(harness, shop, ids, incoming);
                    Map<String, Long> page = pageCounts(browser);
                    assertThat(page).as("the dashboard against the API").isEqualTo(api);
                    assertThat(apiCounts(harness, shop, ids, incoming)).as("settled").isEqualTo(api);
                    fromApi.clear();
                    fromApi.putAll(api);
                });
                assertThat(fromApi).containsEntry("outgoing.queued", 200L).containsEntry("outgoing.sent", 200L);
                assertThat(fromApi.get("received")).as("replies and unprompted messages").isPositive();
                assertThat(fromApi.get("used.read_report")).isPositive();
                assertThat(browser.findElement(By.cssSelector("#shards tr[data-number='" + NUMBER + "'] td.up")).getText())
                        .isEqualTo("connected");
                assertThat(browser.findElement(By.cssSelector("[data-figure='webhook.p99']")).getDomAttribute("data-value"))
                        .as("a Webhook latency p99").isNotEmpty();
                screenshot(browser, "dashboard.png");

                browser.manage().window().setSize(new Dimension(390, 844));
                Thread.sleep(500);
                Object overflow = browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
                assertThat(((Number) overflow).longValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
                screenshot(browser, "dashboard-phone.png");
                browser.manage().window().setSize(new Dimension(1280, 1500));

                browser.findElement(By.cssSelector("header form button")).click();
                // The click loads the login page: wait for it rather than look before it is there.
                await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("token")).isEmpty());
                WebElement token = browser.findElement(By.id("token"));
                token.sendKeys(harness.adminToken);
                token.submit();
                awaitFigure(browser, OTHER, "outgoing.queued", "0");
                assertThat(browser.findElements(By.cssSelector("article[data-number]"))).hasSize(2);
            } finally {
                browser.quit();
            }
        }
    }

    private static List<String> campaign(Harness harness, String token, List<String> users) throws Exception {
        List<Map<String, Object>> offers = new ArrayList<>();
        List<Map<String, Object>> reminders = new ArrayList<>();
        for (String user : users.subList(0, users.size() / 2)) {
            offers.add(withPriority(text(NUMBER, user, "Our winter sale starts today"), "normal"));
            reminders.add(withPriority(text(NUMBER, user, "Reminder: the sale ends tonight"), "low"));
        }
        List<String> ids = new ArrayList<>();
        for (List<Map<String, Object>> batch : List.of(offers, reminders)) {
            for (JsonNode accepted : harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch)).path("messages")) {
                ids.add(accepted.get("id").asText());
            }
        }
        return ids;
    }

    private static Map<String, Object> withPriority(Map<String, Object> message, String priority) {
        Map<String, Object> copy = new LinkedHashMap<>(message);
        copy.put("priority", priority);
        return copy;
    }

    /**
     * The API's counts: each campaign message's statuses (GET /v1/messages/{id}), the incoming messages the Webhook
     * was handed (each by its id, also read through the API), and the budget and queues of GET /v1/numbers.
     */
    private static Map<String, Long> apiCounts(Harness harness, String token, List<String> ids, Set<String> incoming)
            throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("queued", "sent", "delivered", "read", "failed")) counts.put("outgoing." + status, 0L);
        for (String id : ids) {
            JsonNode message = harness.api.get("/v1/messages/" + id, token).body();
            message.path("statuses").fieldNames().forEachRemaining(status -> counts.merge("outgoing." + status, 1L, Long::sum));
        }
        for (var call : harness.receiver.calls("/webhook")) incoming.add(call.body().path("id").asText());
        long received = 0;
        for (String id : incoming) {
            if (harness.api.get("/v1/messages/" + id, token).body().path("direction").asText().equals("in")) received++;
        }
        counts.put("received", received);
        JsonNode number = harness.api.get("/v1/numbers", token).body().path("numbers").get(0);
        for (String kind : KINDS) counts.put("used." + kind, number.path("budget_used").path(kind).asLong());
        for (String priority : List.of("urgent", "high", "normal", "low")) {
            counts.put("queue." + priority, number.path("queue").path(priority).asLong());
        }
        return counts;
    }

    private static Map<String, Long> pageCounts(ChromeDriver browser) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("queued", "sent", "delivered", "read", "failed")) {
            counts.put("outgoing." + status, figure(browser, NUMBER, "outgoing." + status));
        }
        counts.put("received", figure(browser, NUMBER, "received"));
        for (String kind : KINDS) counts.put("used." + kind, figure(browser, NUMBER, "used." + kind));
        for (String priority : List.of("urgent", "high", "normal", "low")) {
            counts.put("queue." + priority, figure(browser, NUMBER, "queue." + priority));
        }
        return counts;
    }

    private static long figure(ChromeDriver browser, String number, String figure) {
        String value = browser.findElement(By.cssSelector("[data-scope='" + number + "'][data-figure='" + figure + "']"))
                .getDomAttribute("data-value");
        return value == null || value.isEmpty() ? -1 : Math.round(Double.parseDouble(value));
    }

    private static void awaitFigure(ChromeDriver browser, String number, String figure, String value) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("[data-scope='" + number + "'][data-figure='" + figure + "']"))
                        .getDomAttribute("data-value")).isEqualTo(value));
    }

    private static long seq(ChromeDriver browser) {
        String seq = browser.findElement(By.tagName("body")).getDomAttribute("data-seq");
        return seq == null ? -1 : Long.parseLong(seq);
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.write(ARTIFACTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}

package io.switchboard.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.bench.MetaStandIn;
import io.switchboard.app.cli.DurationConverter;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.config.NodeConfig;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.budget.Kind;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard demo}: a node on the embedded store, the simulated network and a sample bot, all on this
 * machine; a campaign to a few thousand simulated users while they and others write in, shown live. With
 * {@code --upstream cloud} the number is connected to a stand-in for Meta's Cloud API instead (Graph calls answered
 * after 150 ms, Meta's throughput and pair rate, signed status webhooks, users answering what they read): the road
 * real WhatsApp users are on.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a node, the simulated network and a sample bot, sends a campaign while users reply, and shows it live.")
public final class DemoCommand implements Callable<Integer> {
    private static final String NUMBER = "+919800000001";
    private static final int BULK = 500;
    /** Budget tokens one campaign message costs on average: the send, its delivery and read reports, a share of replies. */
    private static final double TOKENS_PER_CAMPAIGN_MESSAGE = 3.6;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long the campaign runs, such as 60s or 2m (default ${DEFAULT-VALUE})")
    Duration duration;
    @Option(names = "--tps", defaultValue = "500", description = "the number's TPS budget (default ${DEFAULT-VALUE})") int tps;
    @Option(names = "--users", defaultValue = "3000", description = "simulated users who get the campaign (default ${DEFAULT-VALUE})") int users;
    @Option(names = "--inbound-rate", defaultValue = "10", description = "messages per second users write in unprompted (default ${DEFAULT-VALUE})") double inboundRate;
    @Option(names = "--seed", defaultValue = "7", description = "seed of the simulated network") long seed;
    @Option(names = "--upstream", defaultValue = "NETWORK", description = "where the number sends: network (the "
            + "simulated network) or cloud (a stand-in for Meta's Cloud API) (default ${DEFAULT-VALUE})") Upstream upstream;

    /** Where the demo's number is connected. */
    enum Upstream { NETWORK, CLOUD }

    /** Meta's Cloud API as the demo's stand-in plays it: its latency, a number's throughput, the app's secret. */
    private static final Duration GRAPH_LATENCY = Duration.ofMillis(150);
    private static final int META_MPS = 1_000;
    private static final String PHONE_NUMBER_ID = "106540352242922";

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path data = Files.createTempDirectory("switchboard-demo");
        SimConfig simulation = SimConfig.defaults().withPort(0).withStatsPort(0).withSeed(seed).withUsers(users)
                .withInboundRatePerNumber(0).withReplyProbability(0.2);
        String adminToken = Tokens.newToken("sba_");
        String appSecret = Tokens.newToken("demo_");
        try (SimNetwork network = SimNetwork.start(simulation);
             MetaStandIn meta = new MetaStandIn(GRAPH_LATENCY, META_MPS, appSecret);
             SampleBot bot = SampleBot.start();
             Node node = Node.start(nodeConfig(data, network, adminToken), new PrintStream(OutputStream.nullOutputStream()))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + node.httpPort());
            JsonNode project = api.expect(201, "/v1/projects", adminToken, Map.of("name", "Demo shop",
                    "webhook_url", bot.webhookUrl(), "event_webhook_url", bot.eventWebhookUrl()));
            String token = project.get("token").asText();
            Map<String, Object> number = new java.util.HashMap<>(Map.of("number", NUMBER, "tps", tps, "shards", 1));
            if (upstream == Upstream.CLOUD) {
                String accessToken = Tokens.newToken("EAAG");
                meta.number(PHONE_NUMBER_ID, accessToken);
                meta.webhookUrl("http://127.0.0.1:" + node.httpPort() + "/upstream/cloud/webhook");
                meta.replyProbability(0.2);
                number.put("upstream", Map.of("kind", "cloud", "base_url", meta.baseUrl(), "api_version",
                        MetaStandIn.VERSION, "phone_number_id", PHONE_NUMBER_ID, "access_token", accessToken,
                        "app_secret", appSecret, "verify_token", Tokens.newToken("verify_")));
            } else {
                network.setInboundRate(inboundRate);
            }
            api.expect(201, "/v1/numbers", token, number);

            int campaign = campaignSize();
            out.printf("Dashboard: http://127.0.0.1:%d/dashboard#token=%s%n  (live while the demo runs; the link logs "
                    + "in with this demo's admin token, or open /dashboard and paste it)%n%n", node.httpPort(), adminToken);
            out.printf("Switchboard demo: node on the embedded store (%s), %s, sample bot at %s%n", data,
                    upstream == Upstream.CLOUD ? String.format("the number on a stand-in for Meta's Cloud API at %s "
                            + "(%d ms a call, %,d messages a second, one message every 6 s to a user)", meta.baseUrl(),
                            GRAPH_LATENCY.toMillis(), META_MPS) : "simulated network on port " + network.port(),
                    bot.webhookUrl());
            out.printf("Campaign: %,d messages to %,d users from %s at a budget of %d TPS, for %s; users reply%s.%n%n",
                    campaign, users, NUMBER, tps, format(duration), upstream == Upstream.CLOUD ? ""
                            : ", and " + trim(inboundRate) + " more write in each second");
            long started = System.nanoTime();
            queueCampaign(api, token, network.users(), campaign);
            out.printf("Queued %,d messages in %.1f s (each 202 after a durable write).%n%n", campaign,
                    (System.nanoTime() - started) / 1e9);

            LiveView view = new LiveView(out, tps, System.console() != null);
            Tally first = tally(node, network, meta, bot);
            Tally previous = first;
            long end = started + duration.toNanos();
            int second = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(1_000);
                Tally now = tally(node, network, meta, bot);
                view.show(++second, previous, now);
                previous = now;
            }
            view.summary(first, previous, campaign);
            return 0;
        } finally {
            deleteQuietly(data);
        }
    }

    private NodeConfig nodeConfig(Path data, SimNetwork network, String adminToken) {
        return new ConfigLoader().set("http.host", "127.0.0.1").set("http.port", 0)
                .set("network", "127.0.0.1:" + network.port()).set("data", data).set("admin-token", adminToken)
                .set("allow-private-urls", true).load(); // the sample bot listens on loopback
    }

    /**
     * As many messages as the budget can carry in about 80% of the run, two per user at the most (on Meta, one: its
     * pair rate lets a user get one message every 6 s, and statuses cost no budget there).
     */
    private int campaignSize() {
        if (upstream == Upstream.CLOUD) {
            return (int) Math.max(1, Math.min(users, Math.min(tps, META_MPS) * duration.toSeconds() * 8 / 10));
        }
        double spare = Math.max(1, tps - inboundRate * 4);
        return (int) Math.max(1, Math.min(2L * users, (long) (spare * duration.toSeconds() * 0.8 / TOKENS_PER_CAMPAIGN_MESSAGE)));
    }

    /** An offer to every user at normal priority, then a reminder at low priority, in bulk requests. */
    private void queueCampaign(ApiClient api, String token, List<String> recipients, int total) throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            boolean reminder = i >= recipients.size();
            String to = recipients.get(i % recipients.size());
            String body = reminder ? "Reminder: your 20% discount ends tonight." : "Hello! Our winter sale starts today: 20% off everything.";
            batch.add(Map.of("from", NUMBER, "to", to, "type", "text", "text", Map.of("body", body),
                    "priority", reminder ? Priority.LOW.label() : Priority.NORMAL.label()));
            if (batch.size() == BULK || i == total - 1) {
                api.expect(202, "/v1/messages", token, Map.of("messages", batch));
                batch.clear();
            }
        }
    }

    private Tally tally(Node node, SimNetwork network, MetaStandIn meta, SampleBot bot) {
        LineSnapshot line = node.engine().snapshot().getFirst();
        return Tally.read(node.engine().counters(), node.dispatcher().counters(), line, network.stats(),
                upstream == Upstream.CLOUD ? meta.refused() : 0, bot.events());
    }

    private static String format(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static void deleteQuietly(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up anyway
        }
    }

    /** The live lines and the closing summary. */
    static final class LiveView {
        private final PrintStream out;
        private final int tps;
        private final boolean redraw;
        private int peakTps;
        private int linesShown;

        LiveView(PrintStream out, int tps, boolean redraw) {
            this.out = out;
            this.tps = tps;
            this.redraw = redraw;
        }

        void show(int second, Tally before, Tally now) {
            double seconds = (now.atNanos() - before.atNanos()) / 1e9;
            long[] perKind = new long[Kind.values().length];
            for (Kind kind : Kind.values()) perKind[kind.ordinal()] = Math.round((now.used(kind) - before.used(kind)) / seconds);
            int inUse = (int) Math.round((now.usedTotal() - before.usedTotal()) / seconds);
            peakTps = Math.max(peakTps, inUse);
            List<String> lines = List.of(
                    String.format("[%3ds] queued %,6d (urgent %d, high %d, normal %,d, low %,d) | sent %,d  delivered %,d  read %,d  failed %,d",
                            second, now.queued(), now.depth(Priority.URGENT), now.depth(Priority.HIGH),
                            now.depth(Priority.NORMAL), now.depth(Priority.LOW), now.reached(MessageStatus.SENT),
                            now.reached(MessageStatus.DELIVERED), now.reached(MessageStatus.READ), now.reached(MessageStatus.FAILED)),
                    String.format("       TPS %3d of %d: send %d, receive %d, delivery report %d, read report %d",
                            inUse, tps, perKind[Kind.SEND.ordinal()], perKind[Kind.RECEIVE.ordinal()],
                            perKind[Kind.DELIVERY_REPORT.ordinal()], perKind[Kind.READ_REPORT.ordinal()]),
                    String.format("       incoming %,d -> webhook calls %,d, instant replies %,d | event webhook: %,d events in %,d calls | lost at network %d | refused by Meta (sent again) %,d",
                            now.incoming(), now.webhookCalls(), now.instantReplies(), now.eventsDelivered(),
                            now.eventCalls(), now.networkRejected(), now.metaRefused()));
            if (redraw && linesShown > 0) out.print("\033[" + linesShown + "A\033[J");
            if (redraw || second % 5 == 0 || second == 1) {
                lines.forEach(out::println);
                linesShown = lines.size();
            }
        }

        void summary(Tally first, Tally last, int campaign) {
            double seconds = (last.atNanos() - first.atNanos()) / 1e9;
            out.println();
            out.println("Summary");
            out.printf("  campaign: %,d queued; %,d sent, %,d delivered, %,d read, %,d failed; %,d still queued%n", campaign,
                    last.reached(MessageStatus.SENT), last.reached(MessageStatus.DELIVERED), last.reached(MessageStatus.READ),
                    last.reached(MessageStatus.FAILED), last.queued());
            out.printf("  incoming: %,d messages, %,d Webhook calls, %,d instant replies%n", last.incoming(),
                    last.webhookCalls(), last.instantReplies());
            out.printf("  Event Webhook: %,d events in %,d calls (%.0f events a call)%n", last.eventsDelivered(),
                    last.eventCalls(), last.eventCalls() == 0 ? 0.0 : (double) last.eventsDelivered() / last.eventCalls());
            out.printf("  budget: %d TPS; %.0f used a second on average, %d in the busiest second (send %,d, receive %,d, delivery reports %,d, read reports %,d)%n",
                    tps, (last.usedTotal() - first.usedTotal()) / seconds, peakTps, last.used(Kind.SEND),
                    last.used(Kind.RECEIVE), last.used(Kind.DELIVERY_REPORT), last.used(Kind.READ_REPORT));
            out.printf("  sent %.0f messages a second; lost at the network %d; duplicates at the network %d%n",
                    (last.reached(MessageStatus.SENT) - first.reached(MessageStatus.SENT)) / seconds,
                    last.networkRejected(), last.networkDuplicates());
        }
    }
}

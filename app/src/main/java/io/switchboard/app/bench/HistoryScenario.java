package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.Direction;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import io.switchboard.store.crypto.DataKey;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code history}: the message history at scale, on PostgreSQL. Writes {@code --messages} messages (10 million for
 * the README's figures) straight into the store with COPY, not through the API (each body sealed with its number's
 * key, so the API reads them as its own), 90 days of traffic of one project's 4 numbers with 200,000 users (and a
 * tenth of the rows another project's); then reads {@value #READS} pages of 100 through {@code GET /v1/messages} for
 * each shape of filter, page after page by the cursor, and reports the p50 and p99 of a page; and the export's rate.
 */
final class HistoryScenario implements Scenario {
    private static final int READS = 200;
    private static final int NUMBERS = 4;
    private static final int USERS = 200_000;
    private static final Duration SPAN = Duration.ofDays(90);
    private static final long TSID_EPOCH = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final int COPY_ROWS = 10_000;
    private static final String COLUMNS = "id, project_id, number, direction, peer, shard, priority, type, body, "
            + "status_rank, hook_state, created_at, sent_at, delivered_at, read_at, failed_at, error";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        Rig.Store store = options.store();
        if (store.url() == null || !store.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("history fills the store with PostgreSQL's COPY: give --db jdbc:postgresql://... "
                    + "(an empty database of its own: it writes --messages rows)");
        }
        long messages = options.messages();
        report.setting("messages", messages);
        report.setting("page", 100);
        report.setting("reads_per_shape", READS);
        SimConfig quiet = SimConfig.defaults().withSeed(options.seed()).withReadProbability(0).withReplyProbability(0);
        try (Rig rig = new Rig(store, quiet)) {
            String token = rig.project();
            List<DataKey> keys = new ArrayList<>();
            for (int n = 0; n <= NUMBERS; n++) {
                // The last number is another project's: its rows are in the table, never in the answers.
                rig.number(n < NUMBERS ? token : rig.project(), Measure.number(n), 1_000);
                keys.add(rig.node.engine().line(Measure.number(n)).orElseThrow().key());
            }
            String projectId = rig.node.engine().line(Measure.number(0)).orElseThrow().project().id();
            String otherId = rig.node.engine().line(Measure.number(NUMBERS)).orElseThrow().project().id();
            long end = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
            long start = end - SPAN.toMillis();

            long fillStart = System.nanoTime();
            try (Connection c = DriverManager.getConnection(store.url(), store.user(), store.password())) {
                fill(c, messages, start, end, keys, projectId, otherId);
                report.add("fill_per_s", Measure.perSecond(messages, System.nanoTime() - fillStart), "msg/s");
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE messages");
                }
                report.add("table_mb", size(c, "pg_table_size('messages')"), "MiB");
                for (String index : List.of("messages_history", "messages_history_number", "messages_history_peer")) {
                    report.add(index + "_mb", size(c, "pg_relation_size('" + index + "')"), "MiB");
                }
            }

            String day = "since=" + Instant.ofEpochMilli(start + SPAN.toMillis() / 2) + "&until="
                    + Instant.ofEpochMilli(start + SPAN.toMillis() / 2 + Duration.ofDays(1).toMillis());
            Map<String, IntFunction<String>> shapes = new LinkedHashMap<>();
            shapes.put("all", read -> "");
            shapes.put("number", read -> "number=" + enc(Measure.number(read % NUMBERS)));
            shapes.put("user", read -> "user=" + enc(Measure.user(read * 997L % USERS)));
            shapes.put("direction", read -> "direction=in");
            shapes.put("status_failed", read -> "status=failed");
            shapes.put("day", read -> day);
            shapes.put("number_out_read_day", read -> "number=" + enc(Measure.number(1)) + "&direction=out&status=read&"
                    + day);
            pages(rig, token, shapes.get("all"), false, new Histogram(3)); // a warm-up, not counted
            for (Map.Entry<String, IntFunction<String>> shape : shapes.entrySet()) {
                Histogram micros = new Histogram(3);
                pages(rig, token, shape.getValue(), shape.getKey().equals("user"), micros);
                Measure.percentilesMillis(report, "page_" + shape.getKey(), micros, false);
            }

            long exportStart = System.nanoTime();
            HttpResponse<java.util.stream.Stream<String>> export = http.send(HttpRequest.newBuilder(URI.create(
                    rig.baseUrl() + "/v1/messages/export?" + day))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
            long lines = export.body().count();
            report.add("export_day_messages", lines, "msg");
            report.add("export_per_s", Measure.perSecond(lines, System.nanoTime() - exportStart), "msg/s");
        }
    }

    /**
     * {@code READS} pages of the shape, each timed: page after page by the cursor, or ({@code firstPages}) the first
     * page of another filter each time (a user's history is shorter than a page or two).
     */
    private void pages(Rig rig, String token, IntFunction<String> shape, boolean firstPages, Histogram micros) throws Exception {
        String after = null;
        for (int read = 0; read < READS; read++) {
            String query = shape.apply(read);
            String target = rig.baseUrl() + "/v1/messages?limit=100" + (query.isEmpty() ? "" : "&" + query)
                    + (after == null ? "" : "&after=" + after);
            long begin = System.nanoTime();
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(target))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            micros.recordValue((System.nanoTime() - begin) / 1_000);
            if (page.statusCode() != 200) throw new IllegalStateException(target + " answered " + page.statusCode());
            JsonNode next = JSON.readTree(page.body()).path("next");
            after = firstPages || next.isNull() ? null : next.asText();
        }
    }

    /**
     * {@code messages} rows by COPY, in order of time from {@code start} to {@code end}: ids made as the node makes
     * them (time-ordered), both directions, outgoing ones delivered, read (a third) or failed (1 in 100).
     */
    private static void fill(Connection c, long messages, long start, long end, List<DataKey> keys, String projectId,
                             String otherId) throws Exception {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY messages (" + COLUMNS + ") FROM STDIN");
        StringBuilder rows = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (long i = 0; i < messages; i++) {
            long created = start + (end - start) * i / messages;
            long id = ((created - TSID_EPOCH) << 22) | (i & 0x3FFFFF);
            int n = i % 10 == 9 ? NUMBERS : (int) (i % NUMBERS);
            // Direction and status from a hash of i, so that neither follows the number (i % 4) or the user.
            long mixed = i * 0x9E3779B97F4A7C15L; // its high bits: its low ones follow those of i
            Direction direction = mixed >>> 63 == 0 ? Direction.OUT : Direction.IN;
            long roll = (mixed >>> 33) % 300;
            MessageStatus status = direction == Direction.IN ? MessageStatus.QUEUED
                    : roll < 3 ? MessageStatus.FAILED : roll < 100 ? MessageStatus.READ : MessageStatus.DELIVERED;
            byte[] body = keys.get(n).seal(id, "{\"body\":\"Your order " + i + " is on its way\"}");
            rows.append(id).append('\t').append(n == NUMBERS ? otherId : projectId).append('\t').append(Measure.number(n))
                    .append('\t').append(direction.code()).append('\t').append(Measure.user(i * 7919 % USERS))
                    .append("\t0\t").append(Priority.NORMAL.rank()).append("\ttext\t\\\\x").append(hex.formatHex(body))
                    .append('\t').append(status.rank()).append("\t0\t").append(created).append('\t')
                    .append(time(direction == Direction.OUT, created + 200)).append('\t')
                    .append(time(status == MessageStatus.DELIVERED || status == MessageStatus.READ, created + 1_000))
                    .append('\t').append(time(status == MessageStatus.READ, created + 60_000)).append('\t')
                    .append(time(status == MessageStatus.FAILED, created + 500)).append('\t')
                    .append(status == MessageStatus.FAILED ? "131026 undeliverable" : "\\N").append('\n');
            if ((i + 1) % COPY_ROWS == 0 || i + 1 == messages) {
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                rows.setLength(0);
            }
        }
        copy.endCopy();
    }

    private static String time(boolean reached, long at) {
        return reached ? Long.toString(at) : "\\N";
    }

    private static double size(Connection c, String expression) throws Exception {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT " + expression)) {
            row.next();
            return row.getLong(1) / 1048576.0;
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

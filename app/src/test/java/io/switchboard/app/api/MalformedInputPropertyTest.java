package io.switchboard.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed input at every endpoint that takes a body or parameters, as the OpenAPI document lists them
 * (so a route added later is covered), against one real node on the embedded store: the answer is never a 5xx; a
 * 4xx is the error shape the document names for it (ours, or the Graph API's at the Cloud API endpoint) with a status
 * the document lists for the route; and a 4xx changes nothing in the store (projects, numbers and their upstreams,
 * tokens, messages, idempotency keys, media and its chunks, groups, contacts).
 */
class MalformedInputPropertyTest {
    private static final String NUMBER = "+919800000001";
    private static final String DOOMED_NUMBER = "+919800000077";
    /** A number on Meta's Cloud API (the stand-in), whose webhooks the property signs half the time. */
    private static final String CLOUD_NUMBER = "+15550001111";
    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static final String APP_SECRET = "app-secret-9b2d7a";
    private static final String UPSTREAM = "{\"kind\":\"cloud\",\"base_url\":\"http://127.0.0.1:9/graph\",\"api_version\":"
            + "\"v21.0\",\"phone_number_id\":\"$ID\",\"access_token\":\"t\",\"app_secret\":\"s\",\"verify_token\":\"v\"}";
    /** The route whose body is signed rather than its caller named by a token. */
    private static final String SIGNED_WEBHOOK = "POST /upstream/cloud/webhook";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** What the HTTP layer may answer any call (the document says so once, in its description). */
    private static final Set<Integer> HTTP_LAYER = Set.of(414, 431);
    /** Valid request bodies per route, which the generators break in every way. */
    private static final Map<String, List<String>> VALID_BODIES = Map.ofEntries(Map.entry(
            "POST /v1/messages", List.of(
                    message("\"type\":\"text\",\"text\":{\"body\":\"hi\",\"preview_url\":false},\"priority\":\"high\","
                            + "\"schedule_at\":\"2030-01-01T00:00:00Z\",\"expires_at\":\"2030-01-02T00:00:00Z\""),
                    message("\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"Pick\"},"
                            + "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":\"A\"}}]}},"
                            + "\"context\":{\"message_id\":\"x\"},\"ttl\":60,\"client_ref\":\"r\""),
                    message("\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"header\":{\"type\":\"text\","
                            + "\"text\":\"H\"},\"body\":{\"text\":\"B\"},\"footer\":{\"text\":\"F\"},\"action\":{\"button\":"
                            + "\"Open\",\"sections\":[{\"title\":\"S\",\"rows\":[{\"id\":\"r1\",\"title\":\"R\","
                            + "\"description\":\"D\"}]}]}}"),
                    message("\"type\":\"template\",\"template\":{\"name\":\"otp\",\"language\":{\"code\":\"en_US\"},"
                            + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"1\"}]},"
                            + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\","
                            + "\"text\":\"x\"}]}]}"),
                    message("\"type\":\"document\",\"document\":{\"link\":\"https://example.com/a.pdf\",\"caption\":\"c\","
                            + "\"filename\":\"a.pdf\"}"),
                    message("\"type\":\"location\",\"location\":{\"latitude\":1.5,\"longitude\":-2,\"name\":\"n\"}"),
                    message("\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"A B\"},\"phones\":"
                            + "[{\"phone\":\"+1555\",\"type\":\"CELL\"}],\"org\":{\"company\":\"C\"}}]"),
                    message("\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.x\",\"emoji\":\"\uD83D\uDC4D\"}"),
                    "{\"messages\":[" + message("\"type\":\"sticker\",\"sticker\":{\"id\":\"0123456789ABC\"}") + "]}",
                    "{\"from\":\"+919800000001\",\"type\":\"text\",\"text\":{\"body\":\"Hi {{name}}\"},\"recipients\":"
                            + "[{\"to\":\"+15550000042\",\"variables\":{\"name\":\"A\"}}]}")),
            Map.entry("POST /v1/numbers", List.of("{\"number\":\"+919800000002\",\"tps\":10,\"shards\":2,\"delivery_reports\":true}",
                    "{\"number\":\"+919800000003\",\"upstream\":" + UPSTREAM.replace("$ID", "106540352242003") + "}")),
            Map.entry("PATCH /v1/numbers/{number}", List.of("{\"tps\":500,\"shards\":1,\"delivery_reports\":true}",
                    "{\"upstream\":" + UPSTREAM.replace("$ID", "106540352242004") + "}", "{\"upstream\":null}")),
            Map.entry("POST /v1/projects", List.of("{\"name\":\"P\",\"webhook_url\":\"http://127.0.0.1:9/h\",\"events_enabled\":true,"
                    + "\"webhook_format\":\"cloud\",\"webhook_concurrency\":3,\"webhook_rate\":5}")),
            Map.entry("PATCH /v1/project", List.of("{\"name\":\"A\",\"events_enabled\":true,\"webhook_format\":\"native\",\"webhook_rate\":0}")),
            Map.entry("POST /v1/project/webhook-secret/rotate", List.of("{\"keep_previous_s\":60}")),
            Map.entry("POST /v1/webhooks/replay", List.of("{\"ids\":[\"msg_0AB\"]}", "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2027-01-01T00:00:00Z\"}")),
            Map.entry("POST /v1/tokens", List.of("{\"name\":\"reader\",\"scopes\":[\"read\",\"send\"]}")),
            Map.entry("POST /v1/groups", List.of("{\"from\":\"" + NUMBER + "\",\"subject\":\"S\",\"description\":\"d\","
                    + "\"members\":[\"+15550000042\"]}")),
            Map.entry("PATCH /v1/groups/{id}", List.of("{\"subject\":\"S\",\"description\":\"d\"}")),
            Map.entry("POST /v1/groups/{id}/members", List.of("{\"members\":[\"+15550000042\"]}")),
            Map.entry("DELETE /v1/groups/{id}/members", List.of("{\"members\":[\"+15550000042\"]}")),
            Map.entry("POST /v1/groups/{id}/admins", List.of("{\"admins\":[\"+15550000042\"]}")),
            Map.entry("DELETE /v1/groups/{id}/admins", List.of("{\"admins\":[\"+15550000042\"]}")),
            Map.entry("POST /{version}/{phone_number_id}/messages", List.of("{\"messaging_product\":\"whatsapp\","
                    + "\"recipient_type\":\"individual\",\"to\":\"15550000042\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
                    "{\"messaging_product\":\"whatsapp\",\"to\":\"+1 555-000-0042\",\"type\":\"image\",\"image\":"
                    + "{\"link\":\"https://example.com/a.png\",\"caption\":\"c\"}}",
                    "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.0000000000000\"}")),
            Map.entry("POST /{version}/{waba_id}/message_templates", List.of("{\"name\":\"order_shipped\",\"language\":"
                    + "\"en_US\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"HEADER\",\"format\":\"TEXT\","
                    + "\"text\":\"Your order\"},{\"type\":\"BODY\",\"text\":\"Order {{1}} shipped\"},{\"type\":\"BUTTONS\","
                    + "\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Track\"}]}]}")),
            Map.entry("POST /api/v2/push", List.of("{\"token\":\"$TOKEN\",\"application\":\"8\",\"globalmessage\":\"hi\","
                    + "\"priority\":\"1\",\"from\":\"" + NUMBER + "\",\"data\":[{\"number\":\"15550000042\",\"message\":\"m\"}]}",
                    "{\"token\":\"$TOKEN\",\"application\":\"101\",\"globalmedia\":\"https://example.com/a.mp4\","
                    + "\"from\":\"" + NUMBER + "\",\"data\":[{\"number\":\"15550000042\"}]}")),
            Map.entry("POST /upstream/cloud/webhook", List.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                    + "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
                    + "{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},"
                    + "\"contacts\":[{\"wa_id\":\"15550000042\",\"profile\":{\"name\":\"A\"}}],\"messages\":[{\"from\":"
                    + "\"15550000042\",\"id\":\"wamid.X\",\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}],"
                    + "\"statuses\":[{\"id\":\"wamid.Y\",\"status\":\"failed\",\"timestamp\":\"1700000000\",\"recipient_id\":"
                    + "\"15550000042\",\"errors\":[{\"code\":131026,\"title\":\"Undeliverable\"}]}]}}]}]}")));

    static Path dataDir;
    static Harness harness;
    static String token;
    static Map<String, String> likelyPathValues;
    static List<Endpoint> endpoints;
    static Malformed malformed;
    static JsonNode document;

    /** A route from the OpenAPI document, with what it takes. */
    record Endpoint(String method, String path, JsonNode operation, List<String> pathParams, List<String> queryParams,
                    String bodyType) {
        String key() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** {@code signed}: the upstream webhook's body signed with the connected number's app secret. */
    record Call(Endpoint endpoint, Map<String, String> pathValues, Map<String, String> query, String contentType,
                byte[] body, String idempotencyKey, boolean signed) {
        @Override
        public String toString() {
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return endpoint.key() + " " + pathValues + " ?" + query + " key=" + idempotencyKey + " signed=" + signed
                    + " " + contentType + " body(" + (body == null ? 0 : body.length) + " bytes)=" + shown;
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("malformed-input");
        harness = new Harness(TestStores.Kind.EMBEDDED, dataDir, SimConfig.defaults().withReplyProbability(0.0));
        token = harness.project("A");
        harness.number(token, NUMBER, 1_000);
        String message = harness.api.expect(202, "/v1/messages", token, Map.of("from", NUMBER, "to", "+15550000042",
                "type", "text", "text", Map.of("body", "later"), "schedule_at", java.time.Instant.now().plus(Duration.ofDays(20)).toString()))
                .path("messages").get(0).path("id").asText();
        harness.api.expect(201, "/v1/numbers", token, Map.of("number", CLOUD_NUMBER, "upstream", JSON.readTree(
                UPSTREAM.replace("$ID", PHONE_NUMBER_ID).replace("\"s\"", "\"" + APP_SECRET + "\""))));
        String media = new Uploads(harness.node.httpPort()).uploaded(token, NUMBER, Uploads.file(1_000), "image/jpeg");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.node.engine().line(NUMBER)
                .map(line -> line.shards().running().stream().allMatch(ShardWorker::connected)).orElse(false));
        String group = harness.api.expect(201, "/v1/groups", token, Map.of("from", NUMBER, "subject", "Club",
                "members", harness.network.users().subList(0, 2))).path("id").asText();
        // Per route where one parameter name means different things, else per name.
        // A number of its own to delete: the one every other route uses stays.
        harness.number(token, DOOMED_NUMBER, 10);
        likelyPathValues = Map.of("number", NUMBER, "id", message, "name", "docs.js", "/v1/media/{id}", media,
                "/v1/groups/{id}", group, "version", "v23.0", "phone_number_id", NUMBER.substring(1),
                "DELETE /v1/numbers/{number}", DOOMED_NUMBER);
        document = JSON.readTree(HTTP.send(request("/openapi.json").build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        endpoints = endpointsTakingInput(document);
        Set<String> names = new TreeSet<>();
        document.findValues("properties").forEach(properties -> properties.fieldNames().forEachRemaining(names::add));
        malformed = new Malformed(List.copyOf(names));
    }

    @AfterContainer
    static void stop() throws Exception {
        harness.close();
        try (var files = Files.walk(dataDir)) { // jqwik has no @TempDir
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Property(tries = 1_500, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void neverA5xxAlwaysTheErrorShapeAndNoPartialWrite(@ForAll("calls") Call call) throws Exception {
        String before = storeSnapshot();
        HttpResponse<byte[]> answer = HTTP.send(build(call), HttpResponse.BodyHandlers.ofByteArray());
        int status = answer.statusCode();
        String body = new String(answer.body(), StandardCharsets.UTF_8);

        // The one 5xx that is no fault of the node's: a number the property connected to a Meta that is not there
        // (UPSTREAM's port 9) has its Graph calls relayed, and Meta's silence is Meta's code 2, 503.
        if (!metaDidNotAnswer(status, body)) assertThat(status).as("%s answered %s: %s", call, status, body).isLessThan(500);
        JsonNode documented = byHttpLayer(status, body) ? document.at("/components/responses/BadRequest")
                : call.endpoint().operation().path("responses").path(String.valueOf(status));
        assertThat(documented.isMissingNode()).as("%s answered %s, which the document does not list: %s", call, status, body)
                .isFalse();
        if (status >= 400) {
            String schema = errorSchema(documented);
            if (schema != null) {
                assertThat(answer.headers().firstValue("Content-Type")).as("%s answered %s: %s", call, status, body)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
                JsonNode error = JSON.readTree(answer.body()).path("error");
                if (schema.endsWith("/GraphError")) {
                    // The Graph API's shape, as Meta's client libraries read it: a numeric code and its "(#code) ...".
                    assertThat(error.path("code").isInt()).as("%s: the Graph shape, with a code: %s", call, body).isTrue();
                    assertThat(error.path("message").asText()).as("%s: %s", call, body).startsWith("(#" + error.path("code").asInt() + ") ");
                    assertThat(List.of(error.path("type").isTextual(), error.at("/error_data/details").isTextual(),
                            error.path("fbtrace_id").isTextual())).as("%s: type, details, fbtrace_id: %s", call, body)
                            .containsOnly(true);
                } else {
                    assertThat(error.path("code").asText()).as("%s: the error shape, with a code: %s", call, body).isNotBlank();
                    assertThat(error.path("message").isTextual()).as("%s: a message: %s", call, body).isTrue();
                }
            }
            assertThat(storeSnapshot()).as("%s answered %s and changed the store", call, status).isEqualTo(before);
        }
    }

    private static boolean metaDidNotAnswer(int status, String body) throws Exception {
        return status == 503 && body.startsWith("{") && JSON.readTree(body).at("/error/error_data/details").asText()
                .startsWith("Meta's Cloud API did not answer");
    }

    /**
     * What the HTTP layer refused before the API saw it, which the document describes once for every call: 414, 431,
     * and a 400 {@code bad_request} (a path that does not decode), which the API itself never answers.
     */
    private static boolean byHttpLayer(int status, String body) throws Exception {
        if (HTTP_LAYER.contains(status)) return true;
        return status == 400 && body.startsWith("{") && JSON.readTree(body).at("/error/code").asText().equals("bad_request");
    }

    @Provide
    Arbitrary<Call> calls() {
        // Routes with more shapes of valid body (messages: every kind) get more of the tries, and so does the upload,
        // whose forms come in many shapes.
        return Arbitraries.frequencyOf(endpoints.stream().map(endpoint -> Tuple.of("multipart/form-data".equals(endpoint.bodyType())
                ? 4 : 1 + VALID_BODIES.getOrDefault(endpoint.key(), List.of()).size(), Arbitraries.just(endpoint))).toList())
                .flatMap(endpoint -> {
            Arbitrary<Map<String, String>> pathValues = values(endpoint, endpoint.pathParams(), true);
            Arbitrary<Map<String, String>> query = values(endpoint, endpoint.queryParams(), false);
            List<String> valid = VALID_BODIES.getOrDefault(endpoint.key(), List.of()).stream()
                    .map(example -> example.replace("$TOKEN", token)).toList();
            Arbitrary<Tuple.Tuple2<String, byte[]>> body = endpoint.bodyType() == null ? Arbitraries.just(Tuple.of(null, null))
                    : endpoint.bodyType().equals("multipart/form-data") ? malformed.multipart(formFields(endpoint))
                    : (valid.isEmpty() ? malformed.body(null) : Arbitraries.of(valid).flatMap(example -> malformed.body(readTree(example))))
                            .map(bytes -> Tuple.of(endpoint.bodyType(), bytes));
            boolean keyed = endpoint.operation().path("parameters").findValuesAsText("$ref").stream()
                    .anyMatch(ref -> ref.endsWith("/IdempotencyKey"));
            Arbitrary<String> key = keyed ? Arbitraries.strings().withCharRange('!', '~').ofMaxLength(300).injectNull(0.5) : Arbitraries.just(null);
            Arbitrary<Boolean> signed = endpoint.key().equals(SIGNED_WEBHOOK) ? Arbitraries.of(true, false) : Arbitraries.just(false);
            return Combinators.combine(pathValues, query, body, key, signed)
                    .as((p, q, b, k, sign) -> new Call(endpoint, p, q, b.get1(), b.get2(), k, sign));
        });
    }

    /** The form fields a multipart body's schema names. */
    private static List<String> formFields(Endpoint endpoint) {
        List<String> names = new ArrayList<>();
        endpoint.operation().at("/requestBody/content/multipart~1form-data/schema/properties").fieldNames()
                .forEachRemaining(names::add);
        return names;
    }

    /** Each parameter given (a path parameter always, a query one sometimes) a value from the generators. */
    private static Arbitrary<Map<String, String>> values(Endpoint endpoint, List<String> names, boolean always) {
        Arbitrary<Map<String, String>> values = Arbitraries.just(Map.of());
        String path = endpoint.path();
        for (String name : names) {
            int at = path.indexOf("{" + name + "}");
            String route = at < 0 ? path : path.substring(0, at + name.length() + 2); // "/v1/groups/{id}"
            String likely = likelyPathValues.getOrDefault(endpoint.method().toUpperCase(java.util.Locale.ROOT) + " " + route,
                    likelyPathValues.getOrDefault(route, likelyPathValues.get(name)));
            Arbitrary<String> value = malformed.parameter(always ? likely : null);
            if (!always) value = value.injectNull(0.4);
            values = Combinators.combine(values, value).as((map, v) -> {
                if (v == null) return map;
                Map<String, String> more = new java.util.HashMap<>(map);
                more.put(name, v);
                return Map.copyOf(more);
            });
        }
        return values;
    }

    private static HttpRequest build(Call call) {
        String path = call.endpoint().path();
        for (var value : call.pathValues().entrySet()) {
            path = path.replace("{" + value.getKey() + "}", URLEncoder.encode(value.getValue(), StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        StringBuilder query = new StringBuilder();
        call.query().forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = request(path + query).header("Authorization", "Bearer "
                + (call.endpoint().path().equals("/v1/projects") ? harness.adminToken : token));
        if (call.idempotencyKey() != null) request.header("Idempotency-Key", call.idempotencyKey());
        if (call.endpoint().key().equals(SIGNED_WEBHOOK)) {
            byte[] body = call.body() == null ? new byte[0] : call.body();
            request.header("X-Hub-Signature-256", "sha256=" + (call.signed() ? hmacHex(body) : "0".repeat(64)));
        }
        if (call.body() == null) return request.method(call.endpoint().method().toUpperCase(), HttpRequest.BodyPublishers.noBody()).build();
        return request.header("Content-Type", call.contentType())
                .method(call.endpoint().method().toUpperCase(), HttpRequest.BodyPublishers.ofByteArray(call.body())).build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
    }

    /** Every operation with a request body or parameters, its parameters resolved through the document's $refs. */
    private static List<Endpoint> endpointsTakingInput(JsonNode document) {
        List<Endpoint> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (op.getKey().equals("parameters")) continue;
                List<String> pathParams = new ArrayList<>();
                List<String> queryParams = new ArrayList<>();
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                op.getValue().path("parameters").forEach(parameters::add);
                for (JsonNode parameter : parameters) {
                    JsonNode resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
                    String in = resolved.path("in").asText();
                    if (in.equals("path")) pathParams.add(resolved.path("name").asText());
                    if (in.equals("query")) queryParams.add(resolved.path("name").asText());
                }
                JsonNode content = op.getValue().path("requestBody").path("content");
                String bodyType = content.isObject() && content.fieldNames().hasNext() ? content.fieldNames().next() : null;
                boolean takesInput = bodyType != null || !parameters.isEmpty();
                if (takesInput) found.add(new Endpoint(op.getKey(), path.getKey(), op.getValue(), pathParams, queryParams, bodyType));
            }
        }
        assertThat(found).extracting(Endpoint::key).contains("POST /v1/messages", "PATCH /v1/numbers/{number}",
                "GET /v1/numbers/{number}/usage", "GET /v1/tokens");
        return found;
    }

    /** The schema a documented error answer's JSON has (ours or the Graph API's), or null when it is not JSON. */
    private static String errorSchema(JsonNode response) {
        JsonNode resolved = response.has("$ref") ? document.at(response.get("$ref").asText().substring(1)) : response;
        JsonNode json = resolved.path("content").path("application/json");
        return json.isMissingNode() ? null : json.at("/schema/$ref").asText("#/components/schemas/Error");
    }

    private static String hmacHex(byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a refused request must not change: the rows of projects, numbers and tokens, and the counts of the rest. */
    private static String storeSnapshot() throws Exception {
        StringBuilder snapshot = new StringBuilder();
        try (Connection connection = harness.storeConnection(); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM projects ORDER BY id",
                    "SELECT number, project_id, tps, shards, delivery_reports FROM numbers ORDER BY number",
                    "SELECT id, project_id, name, scopes FROM api_tokens ORDER BY id",
                    "SELECT COUNT(*), COUNT(cancelled_at) FROM messages",
                    "SELECT COUNT(*) FROM idempotency_keys",
                    "SELECT id, project_id, number, mime_type, size_bytes, sha256 FROM media ORDER BY id",
                    "SELECT COUNT(*) FROM media_chunks",
                    "SELECT * FROM chat_groups ORDER BY project_id, group_id",
                    "SELECT COUNT(*) FROM group_receipts",
                    "SELECT number, user_number, last_seen FROM contacts ORDER BY number, user_number",
                    "SELECT * FROM number_upstreams ORDER BY number",
                    "SELECT * FROM message_templates ORDER BY id")) {
                try (ResultSet rows = statement.executeQuery(query)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rows.getObject(i);
                            snapshot.append(value instanceof byte[] bytes ? java.util.Arrays.toString(bytes) : value).append('|');
                        }
                        snapshot.append('\n');
                    }
                }
            }
        }
        return snapshot.toString();
    }

    private static String message(String fields) {
        return "{\"from\":\"" + NUMBER + "\",\"to\":\"+15550000042\"," + fields + "}";
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for Meta's WhatsApp Cloud API, as its documentation describes it, for the tests of the upstream
 * connector. {@code POST /{version}/{phone_number_id}/messages} with the bearer token answers
 * {@code {"messaging_product","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid..."}]}}, or a Graph error
 * ({@code {"error":{"message","type","code","error_data":{"details"},"fbtrace_id"}}}, HTTP 400; 401 with code 190 for
 * a wrong token; 100 for bad parameters). On demand it answers like Meta under load: a throughput limit per second
 * (130429), a pair rate limit for one user (131056), a permanent refusal for one user (131048 and the like), and 5xx;
 * and like a broken server: an answer far too large, or headers and then a body that never ends.
 * The number's own objects answer as Meta's do, with the token: {@code GET /{version}/{phone_number_id}} (the
 * number), its {@code /settings}, and its {@code /whatsapp_business_profile} (GET, and POST changing it); each call is
 * recorded with its query. It sends webhooks as Meta does: the envelope {@code object, entry[].changes[].value{messaging_product, metadata,
 * contacts, messages | statuses}}, ASCII-only JSON signed with {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw
 * body with the app secret, computed here on its own); a test sends them twice, out of order, or with a bad
 * signature as it likes. Media: {@code POST /{version}/{phone_number_id}/media} (multipart, as Meta takes it) keeps
 * a file and answers its id, {@code GET /{version}/{media_id}} describes it with a URL, and that URL downloads it with
 * the bearer token; a send that names a media id it does not have is refused with 131053, as Meta refuses it.
 */
public final class CloudApiStandIn implements AutoCloseable {
    public static final String VERSION = "v21.0";
    /** The business account the number belongs to, whose message templates Meta keeps. */
    public static final String WABA_ID = "102290129340398";
    /** The WhatsApp Business Account id in the webhooks' entries. */

    /** A send Meta took. */
    public record Accepted(String wamid, String to, String type, JsonNode body, long atMillis) {}

    /** A file Meta keeps: uploaded by the number, or sent by a user. */
    public record MediaFile(String id, String mimeType, byte[] bytes) {}

    /** Any send that reached the stand-in, and the Graph code it was answered with (0: taken). */
    public record Attempt(String to, int code, long atMillis) {}

    private final String phoneNumberId;
    private final String accessToken;
    private final String appSecret;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();
    private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final List<String> readMarks = new CopyOnWriteArrayList<>();
    private final List<String> typingIndicators = new CopyOnWriteArrayList<>();
    private final List<String> objectCalls = new CopyOnWriteArrayList<>();
    private final ObjectNode profile = json.createObjectNode().put("about", "Set at Meta").put("vertical", "RETAIL");
    private final Map<String, MediaFile> media = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, ArrayDeque<Integer>> scripted = new ConcurrentHashMap<>();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger slowAnswers = new AtomicInteger();
    private final AtomicInteger oversizedAnswers = new AtomicInteger();
    private final AtomicInteger endlessAnswers = new AtomicInteger();
    private volatile long slowMillis;
    private volatile int perSecond = Integer.MAX_VALUE;
    private long windowSecond;
    private int inWindow;
    private volatile String webhookUrl;

    public CloudApiStandIn(String phoneNumberId, String accessToken, String appSecret) throws IOException {
        this.phoneNumberId = phoneNumberId;
        this.accessToken = accessToken;
        this.appSecret = appSecret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the app's webhooks go: the node's callback URL. */
    public void webhookUrl(String url) {
        this.webhookUrl = url;
    }

    /** Takes at most this many sends a second (a fixed one-second window); the rest get 130429. */
    public void throughput(int perSecond) {
        this.perSecond = perSecond;
    }

    /** The next sends to {@code to} are answered with these Graph codes, one each, in order; then taken. */
    public void script(String to, Integer... codes) {
        scripted.computeIfAbsent(to, user -> new ArrayDeque<>()).addAll(List.of(codes));
    }

    /** The next {@code count} sends, whoever they go to, are answered 503. */
    public void serverErrors(int count) {
        serverErrors.set(count);
    }

    /**
     * The next {@code count} sends are answered only after {@code millis}, with a 503 and without taking the message:
     * a caller that gave up meanwhile lost nothing by sending again. Recorded with code -1.
     */
    public void slowAnswers(int count, long millis) {
        slowMillis = millis;
        slowAnswers.set(count);
    }

    /**
     * The next {@code count} sends are answered 200 with a wamid and 2 MiB of padding, without a Content-Length,
     * and not taken. Recorded with code -2.
     */
    public void oversizedAnswers(int count) {
        oversizedAnswers.set(count);
    }

    /**
     * The next {@code count} sends are answered 200 and the start of a body, then a space every 100 ms for a minute
     * (or until the caller hangs up), and not taken. Recorded with code -3.
     */
    public void endlessAnswers(int count) {
        endlessAnswers.set(count);
    }

    public List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** The wamids of the incoming messages the node marked read, in order. */
    public List<String> readMarks() {
        return List.copyOf(readMarks);
    }

    /** The wamids of the read marks that came with a typing indicator ({@code {"type":"text"}}), in order. */
    public List<String> typingIndicators() {
        return List.copyOf(typingIndicators);
    }

    /** The calls on the number's own objects, as {@code "METHOD /path?query"}, in order. */
    public List<String> objectCalls() {
        return List.copyOf(objectCalls);
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** How many files the number uploaded. */
    public int uploads() {
        return uploads.get();
    }

    public MediaFile media(String id) {
        return media.get(id);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String number = "/" + VERSION + "/" + phoneNumberId;
            if (path.equals(number) || path.equals(number + "/settings") || path.equals(number + "/whatsapp_business_profile")) {
                answerObject(exchange, path.substring(number.length()), raw);
                return;
            }
            if (path.equals("/" + VERSION + "/" + WABA_ID + "/message_templates")) {
                answerTemplates(exchange, raw);
                return;
            }
            if (handledMedia(exchange, path, raw)) return;
            if (!"POST".equals(exchange.getRequestMethod()) || !path.equals(number + "/messages")) {
                reply(exchange, 400, graphError(100, "Unsupported post request.", "GraphMethodException", ""));
                return;
            }
            if (!("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, graphError(190, "Invalid OAuth access token - Cannot parse access token", "OAuthException", ""));
                return;
            }
            JsonNode body = json.readTree(raw);
            if ("read".equals(body.path("status").asText()) && "whatsapp".equals(body.path("messaging_product").asText())) {
                readMarks.add(body.path("message_id").asText());
                if (body.path("typing_indicator").equals(json.createObjectNode().put("type", "text"))) {
                    typingIndicators.add(body.path("message_id").asText());
                }
                reply(exchange, 200, json.createObjectNode().put("success", true));
                return;
            }
            String to = body.path("to").asText("");
            String type = body.path("type").asText("text");
            if (!"whatsapp".equals(body.path("messaging_product").asText()) || to.isEmpty() || !body.has(type)) {
                reply(exchange, 400, graphError(100, "(#100) Invalid parameter", "OAuthException", "messaging_product, to and the " + type + " object are required"));
                return;
            }
            String named = body.path(type).path("id").asText("");
            if (!named.isEmpty() && !media.containsKey(named)) {
                reply(exchange, 400, graphError(131053, "(#131053) Media upload error", "OAuthException",
                        "no media with id " + named));
                return;
            }
            long now = System.currentTimeMillis();
            if (takeOne(serverErrors)) {
                attempts.add(new Attempt(to, 2, now));
                reply(exchange, 503, graphError(2, "Service temporarily unavailable", "OAuthException", ""));
                return;
            }
            if (takeOne(slowAnswers)) {
                attempts.add(new Attempt(to, -1, now));
                sleep(slowMillis);
                reply(exchange, 503, graphError(2, "Service temporarily unavailable", "OAuthException", ""));
                return;
            }
            if (takeOne(oversizedAnswers)) {
                attempts.add(new Attempt(to, -2, now));
                writeOversized(exchange);
                return;
            }
            if (takeOne(endlessAnswers)) {
                attempts.add(new Attempt(to, -3, now));
                writeEndlessly(exchange);
                return;
            }
            Integer code = next(to);
            if (code == null && !withinThroughput(now)) code = 130429;
            attempts.add(new Attempt(to, code == null ? 0 : code, now));
            if (code != null) {
                reply(exchange, 400, graphError(code, "(#" + code + ") " + title(code), "OAuthException", title(code)));
                return;
            }
            String wamid = "wamid." + HexFormat.of().formatHex(bytes(12)).toUpperCase();
            accepted.add(new Accepted(wamid, to, type, body, now));
            String waId = to.startsWith("+") ? to.substring(1) : to;
            ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp");
            answer.putArray("contacts").addObject().put("input", to).put("wa_id", waId);
            answer.putArray("messages").addObject().put("id", wamid);
            reply(exchange, 200, answer);
        }
    }

    /**
     * The business account's message templates: one approved {@code hello_world} listed, a new one PENDING (Meta
     * reviews it), a deletion done.
     */
    private void answerTemplates(HttpExchange exchange, byte[] raw) throws IOException {
        String method = exchange.getRequestMethod();
        if (!objectCallAuthorized(exchange)) return;
        ObjectNode answer = json.createObjectNode();
        switch (method) {
            case "GET" -> answer.putArray("data").addObject().put("name", "hello_world").put("language", "en_US")
                    .put("status", "APPROVED").put("category", "UTILITY").put("id", "1402198397634583");
            case "POST" -> answer.put("id", "1402198397634584").put("status", "PENDING")
                    .put("category", json.readTree(raw).path("category").asText());
            default -> answer.put("success", true);
        }
        reply(exchange, 200, answer);
    }

    /** Records a call on an object of the number's; false, answered 401, when it lacks the number's token. */
    private boolean objectCallAuthorized(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        objectCalls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                + (query == null ? "" : "?" + query));
        if (("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) return true;
        reply(exchange, 401, graphError(190, "Invalid OAuth access token - Cannot parse access token", "OAuthException", ""));
        return false;
    }

    /** The number ({@code edge} ""), its settings or its business profile, as Meta answers them. */
    private void answerObject(HttpExchange exchange, String edge, byte[] raw) throws IOException {
        String method = exchange.getRequestMethod();
        if (!objectCallAuthorized(exchange)) return;
        ObjectNode answer = json.createObjectNode();
        switch (method + " " + edge) {
            case "GET " -> {
                answer.put("verified_name", "Meta Shop").put("display_phone_number", "+1 555-000-1111")
                        .put("quality_rating", "YELLOW").put("code_verification_status", "VERIFIED")
                        .put("platform_type", "CLOUD_API").putObject("throughput").put("level", "HIGH");
                answer.put("id", phoneNumberId);
            }
            case "GET /settings" -> answer.putObject("calling").put("status", "ENABLED");
            case "GET /whatsapp_business_profile" -> {
                synchronized (profile) {
                    answer.putArray("data").add(profile.deepCopy().put("messaging_product", "whatsapp"));
                }
            }
            case "POST /whatsapp_business_profile" -> {
                JsonNode changes = json.readTree(raw);
                synchronized (profile) {
                    changes.properties().forEach(field -> {
                        if (!field.getKey().equals("messaging_product")) profile.set(field.getKey(), field.getValue());
                    });
                }
                answer.put("success", true);
            }
            default -> {
                reply(exchange, 400, graphError(100, "Unsupported " + method.toLowerCase() + " request.",
                        "GraphMethodException", ""));
                return;
            }
        }
        reply(exchange, 200, answer);
    }

    /** Meta's media routes: upload, describe, download; false for any other request. */
    private boolean handledMedia(HttpExchange exchange, String path, byte[] raw) throws IOException {
        String method = exchange.getRequestMethod();
        boolean upload = "POST".equals(method) && path.equals("/" + VERSION + "/" + phoneNumberId + "/media");
        String id = path.substring(path.lastIndexOf('/') + 1);
        boolean describe = "GET".equals(method) && path.equals("/" + VERSION + "/" + id) && media.containsKey(id);
        boolean download = "GET".equals(method) && path.equals("/download/" + id) && media.containsKey(id);
        if (!upload && !describe && !download) return false;
        if (!("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, graphError(190, "Invalid OAuth access token - Cannot parse access token", "OAuthException", ""));
        } else if (upload) {
            MediaFile file = upload(exchange.getRequestHeaders().getFirst("Content-Type"), raw);
            uploads.incrementAndGet();
            reply(exchange, 200, json.createObjectNode().put("id", file.id()));
        } else if (describe) {
            MediaFile file = media.get(id);
            reply(exchange, 200, json.createObjectNode().put("messaging_product", "whatsapp")
                    .put("url", baseUrl() + "/download/" + id).put("mime_type", file.mimeType())
                    .put("sha256", sha256(file.bytes())).put("file_size", String.valueOf(file.bytes().length)).put("id", id));
        } else {
            byte[] bytes = media.get(id).bytes();
            exchange.getResponseHeaders().set("Content-Type", media.get(id).mimeType());
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        return true;
    }

    /** The {@code file} part of a multipart/form-data upload, kept under a new id. */
    private MediaFile upload(String contentType, byte[] raw) {
        String boundary = "--" + contentType.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1");
        String body = new String(raw, StandardCharsets.ISO_8859_1);
        for (String part : body.split(java.util.regex.Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0 || !part.substring(0, headersEnd).contains("name=\"file\"")) continue;
            String type = part.substring(0, headersEnd).replaceFirst("(?is).*content-type:\\s*([^\r\n]+).*", "$1").trim();
            byte[] bytes = part.substring(headersEnd + 4, part.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
            return keep(type, bytes);
        }
        throw new IllegalArgumentException("no file part in the upload");
    }

    private MediaFile keep(String mimeType, byte[] bytes) {
        MediaFile file = new MediaFile(String.valueOf(1_000_000_000_000L + random.nextLong(1_000_000_000_000L)), mimeType, bytes);
        media.put(file.id(), file);
        return file;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes one from a count of answers still to give that way; false when none is left. */
    private static boolean takeOne(AtomicInteger count) {
        return count.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private void writeOversized(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OVERSIZED\"}],\"padding\":\"")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] padding = "x".repeat(64 * 1_024).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 32; i++) out.write(padding);
        out.write("\"}".getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeEndlessly(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"messaging_product\":\"whatsapp\",".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 600; i++) {
            out.flush();
            sleep(100);
            out.write(' ');
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private Integer next(String to) {
        ArrayDeque<Integer> codes = scripted.get(to);
        if (codes == null) return null;
        synchronized (codes) {
            return codes.pollFirst();
        }
    }

    private synchronized boolean withinThroughput(long now) {
        long second = now / 1_000;
        if (second != windowSecond) {
            windowSecond = second;
            inWindow = 0;
        }
        return ++inWindow <= perSecond;
    }

    private static String title(int code) {
        return switch (code) {
            case 130429 -> "Rate limit hit";
            case 131056 -> "(Business Account, Consumer Account) pair rate limit hit";
            case 131048 -> "Spam rate limit hit";
            case 131026 -> "Message Undeliverable";
            default -> "Error";
        };
    }

    private ObjectNode graphError(int code, String message, String type, String details) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", type).put("code", code);
        if (!details.isEmpty()) error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        error.put("fbtrace_id", "A" + HexFormat.of().formatHex(bytes(8)));
        return body;
    }

    private void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // --- webhooks, as Meta sends them ---

    /**
     * A status webhook for one message ({@code sent}, {@code delivered}, {@code read}, or {@code failed}), as Meta
     * writes it: a failure with Meta's error object, the others with the conversation and the price (a free service
     * message, per message since July 2025).
     */
    public byte[] status(String wamid, String to, String status) {
        ObjectNode value = value();
        ObjectNode item = value.putArray("statuses").addObject();
        item.put("id", wamid).put("status", status).put("timestamp", String.valueOf(System.currentTimeMillis() / 1_000))
                .put("recipient_id", to.substring(1));
        if (status.equals("failed")) {
            item.putArray("errors").addObject().put("code", 131026).put("title", "Message Undeliverable")
                    .put("message", "Message Undeliverable").putObject("error_data")
                    .put("details", "Message failed to send because the user's phone number is not on WhatsApp.");
        } else {
            item.putObject("conversation").put("id", "CONVERSATION_" + to.substring(1)).putObject("origin")
                    .put("type", "service");
            item.putObject("pricing").put("billable", false).put("pricing_model", "PMP")
                    .put("type", "free_customer_service").put("category", "service");
        }
        return envelope(value);
    }

    /** An incoming text message webhook from {@code from} (E.164), with its profile name. */
    public byte[] incoming(String wamid, String from, String name, String text) {
        return incoming(wamid, from, name, text, json.createObjectNode());
    }

    /**
     * The same with more fields of Meta's message object ({@code context{from,id}} of a reply, {@code referral} of a
     * user who came from an ad); a {@code type} in {@code more} replaces the text (a reaction, say).
     */
    public byte[] incoming(String wamid, String from, String name, String text, ObjectNode more) {
        ObjectNode value = value();
        value.putArray("contacts").addObject().put("wa_id", from.substring(1)).putObject("profile").put("name", name);
        ObjectNode message = value.putArray("messages").addObject().put("from", from.substring(1)).put("id", wamid)
                .put("timestamp", String.valueOf(System.currentTimeMillis() / 1_000)).put("type", "text");
        if (!more.has("type")) message.putObject("text").put("body", text);
        message.setAll(more);
        return envelope(value);
    }

    /**
     * An incoming media message webhook ({@code type} image, document, ...): Meta keeps the user's file and names it
     * by id only, with its type and sha256.
     */
    public byte[] incomingMedia(String wamid, String from, String name, String type, String mimeType, byte[] bytes,
                                String caption) {
        MediaFile file = keep(mimeType, bytes);
        ObjectNode value = value();
        value.putArray("contacts").addObject().put("wa_id", from.substring(1)).putObject("profile").put("name", name);
        ObjectNode object = value.putArray("messages").addObject().put("from", from.substring(1)).put("id", wamid)
                .put("timestamp", String.valueOf(System.currentTimeMillis() / 1_000)).put("type", type).putObject(type);
        object.put("id", file.id()).put("mime_type", mimeType).put("sha256", sha256(bytes));
        if (caption != null) object.put("caption", caption);
        return envelope(value);
    }

    /** One webhook that carries the changes of several, as Meta batches them (one entry, a change each). */
    public byte[] together(byte[]... webhooks) {
        ObjectNode root = json.createObjectNode().put("object", "whatsapp_business_account");
        ArrayNode changes = root.putArray("entry").addObject().put("id", WABA_ID).putArray("changes");
        for (byte[] webhook : webhooks) {
            try {
                json.readTree(webhook).path("entry").forEach(entry -> changes.addAll((ArrayNode) entry.path("changes")));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a webhook body", e);
            }
        }
        return ascii(root);
    }

    private ObjectNode value() {
        ObjectNode value = json.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550001111").put("phone_number_id", phoneNumberId);
        return value;
    }

    /** Meta's envelope around one change. */
    private byte[] envelope(ObjectNode value) {
        ObjectNode root = json.createObjectNode().put("object", "whatsapp_business_account");
        ArrayNode entries = root.putArray("entry");
        ObjectNode change = entries.addObject().put("id", WABA_ID).putArray("changes").addObject();
        change.set("value", value);
        change.put("field", "messages");
        return ascii(root);
    }

    /** Written as Meta writes it: ASCII only, everything else escaped. */
    private byte[] ascii(ObjectNode root) {
        try {
            return json.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                    .writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts a webhook body signed with the app secret; answers the node's status. */
    public int send(byte[] body) throws IOException, InterruptedException {
        return send(body, "sha256=" + hmacHex(appSecret, body));
    }

    /** Posts a webhook body with this {@code X-Hub-Signature-256} (null: none); answers the node's status. */
    public int send(byte[] body, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhookUrl))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) request.header("X-Hub-Signature-256", signature);
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Meta's subscription handshake: answers the node's status and body. */
    public HttpResponse<String> verify(String verifyToken, String challenge) throws IOException, InterruptedException {
        String query = "?hub.mode=subscribe&hub.verify_token=" + java.net.URLEncoder.encode(verifyToken, StandardCharsets.UTF_8)
                + "&hub.challenge=" + challenge;
        return client.send(HttpRequest.newBuilder(URI.create(webhookUrl + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}

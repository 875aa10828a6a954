package io.switchboard.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.dispatcher.media.LinkFetcher;
import io.switchboard.store.crypto.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link NodeConfig} from flat keys ({@code http.port}, {@code db.url}, ...): the defaults, then a YAML
 * file (nested the same way), then {@code SWITCHBOARD_*} environment variables ({@code SWITCHBOARD_HTTP_PORT} is
 * {@code http.port}), then command-line options. Every value is checked here, and an error names the key.
 */
public final class ConfigLoader {
    private static final int ADMIN_TOKEN_MIN_LENGTH = 32;
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("http.host", "0.0.0.0"),
            Map.entry("http.port", "8080"),
            Map.entry("network", "127.0.0.1:5222"),
            Map.entry("contacts.refresh-ms", "60000"),
            Map.entry("data", "data"),
            Map.entry("webhooks.concurrency", "12"),
            Map.entry("webhooks.event-batch-size", "100"),
            Map.entry("webhooks.event-batch-delay-ms", "50"),
            Map.entry("webhooks.retry-first-ms", "1000"),
            Map.entry("webhooks.retry-max-ms", "300000"),
            Map.entry("webhooks.retry-window-s", "86400"),
            Map.entry("webhooks.timeout-ms", "10000"),
            Map.entry("webhooks.circuit-failures", "20"),
            Map.entry("webhooks.probe-max-ms", "10000"),
            Map.entry("webhooks.calls-in-memory", "10000"),
            Map.entry("allow-private-urls", "false"),
            Map.entry("cluster.enabled", "false"),
            Map.entry("cluster.heartbeat-ms", "500"),
            Map.entry("cluster.lease-ms", "2500"),
            Map.entry("cluster.handoff-poll-ms", "20"),
            Map.entry("store.max-queued-writes", "200000"),
            Map.entry("store.migrate-on-start", "true"),
            Map.entry("api.rate-per-project", "1000"),
            Map.entry("api.burst-per-project", "2000"),
            Map.entry("api.rate-per-token", "200"),
            Map.entry("api.unknown-tokens-per-second", "200"),
            Map.entry("api.burst-per-token", "400"),
            Map.entry("api.max-body-bytes", String.valueOf(4 * 1024 * 1024)),
            Map.entry("api.max-connections", "10000"),
            Map.entry("api.max-requests-in-flight", "4096"),
            Map.entry("api.max-queued-per-project", "5000000"),
            Map.entry("media.fetch-timeout-ms", "30000"),
            Map.entry("media.fetches-per-project", "2"),
            Map.entry("media.sweep-minutes", "60"),
            Map.entry("media.url-valid-s", "3600"),
            Map.entry("media.quota-mb-per-project", "10240"),
            Map.entry("metrics.open", "false"),
            Map.entry("log.format", "text"),
            Map.entry("http.behind-proxy", "false"),
            Map.entry("dashboard.session-hours", "12"),
            Map.entry("upstream.timeout-ms", "10000"),
            Map.entry("upstream.concurrency", "512"),
            Map.entry("upstream.retry-first-ms", "500"),
            Map.entry("upstream.retry-max-ms", "30000"),
            Map.entry("retention.days", "30"),
            Map.entry("retention.sweep-s", "600"));

    private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

    public ConfigLoader file(Path file) {
        if (file == null) return this;
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            if (root != null) flatten("", root);
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    public ConfigLoader environment(Map<String, String> environment) {
        for (String key : keys()) {
            String name = "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            String value = environment.get(name);
            if (value != null && !value.isBlank()) values.put(key, value);
        }
        return this;
    }

    /** A command-line value; null means the option was not given. */
    public ConfigLoader set(String key, Object value) {
        if (value != null) values.put(key, value.toString());
        return this;
    }

    private static Iterable<String> keys() {
        return java.util.List.of("http.host", "http.port", "http.behind-proxy", "https.port", "https.keystore",
                "https.keystore-password", "network", "data", "db.url", "db.user", "db.password",
                "admin-token", "master-key", "master-keys-previous", "webhooks.concurrency", "webhooks.event-batch-size",
                "webhooks.event-batch-delay-ms", "webhooks.retry-first-ms", "webhooks.retry-max-ms",
                "webhooks.retry-window-s", "webhooks.timeout-ms", "webhooks.circuit-failures", "webhooks.probe-max-ms",
                "webhooks.calls-in-memory", "allow-private-urls", "cluster.enabled", "cluster.node-id", "cluster.address",
                "cluster.heartbeat-ms", "cluster.lease-ms", "cluster.handoff-poll-ms", "store.max-queued-writes", "store.migrate-on-start",
                "api.rate-per-project",
                "api.burst-per-project", "api.rate-per-token", "api.burst-per-token", "api.unknown-tokens-per-second",
                "api.max-body-bytes", "api.max-connections", "api.max-requests-in-flight", "api.max-queued-per-project", "contacts.refresh-ms", "media.fetch-timeout-ms", "media.fetches-per-project",
                "media.sweep-minutes", "media.url-valid-s", "media.quota-mb-per-project",
                "media.public-url", "metrics.open", "log.format", "dashboard.session-hours", "upstream.timeout-ms",
                "upstream.concurrency", "upstream.retry-first-ms", "upstream.retry-max-ms", "retention.days",
                "retention.sweep-s");
    }

    private void flatten(String prefix, JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue());
            }
        } else if (!node.isNull()) {
            values.put(prefix, node.asText());
        }
    }

    public NodeConfig load() {
        String[] network = values.get("network").split(":");
        if (network.length != 2) throw new IllegalArgumentException("network: must be host:port, got '" + values.get("network") + "'");
        return new NodeConfig(
                http(),
                new NodeConfig.Network(network[0], port("network", network[1]),
                        Duration.ofMillis(number("contacts.refresh-ms", 0, 86_400_000))),
                new NodeConfig.Store(Path.of(values.get("data")), values.get("db.url"), values.get("db.user"),
                        values.get("db.password"), number("store.max-queued-writes", 1_000, 100_000_000),
                        bool("store.migrate-on-start")),
                new NodeConfig.Secrets(adminToken(), masterKey(), previousMasterKeys()),
                new NodeConfig.Webhooks(number("webhooks.concurrency", 1, 1_000),
                        number("webhooks.event-batch-size", 1, 10_000),
                        Duration.ofMillis(number("webhooks.event-batch-delay-ms", 0, 60_000)),
                        Duration.ofMillis(number("webhooks.retry-first-ms", 1, 3_600_000)),
                        Duration.ofMillis(number("webhooks.retry-max-ms", 1, 86_400_000)),
                        Duration.ofSeconds(number("webhooks.retry-window-s", 1, 30 * 86_400)),
                        Duration.ofMillis(number("webhooks.timeout-ms", 100, 300_000)),
                        number("webhooks.circuit-failures", 1, 1_000_000),
                        Duration.ofMillis(number("webhooks.probe-max-ms", 1, 3_600_000)),
                        number("webhooks.calls-in-memory", 10, 10_000_000), bool("allow-private-urls")),
                cluster(),
                new NodeConfig.Api(number("api.rate-per-project", 0, 10_000_000), number("api.burst-per-project", 1, 100_000_000),
                        number("api.rate-per-token", 0, 1_000_000), number("api.burst-per-token", 1, 10_000_000),
                        number("api.unknown-tokens-per-second", 0, 1_000_000),
                        number("api.max-body-bytes", 1_024, 1_073_741_824), number("api.max-connections", 1, 1_000_000),
                        number("api.max-requests-in-flight", 1, 1_000_000),
                        number("api.max-queued-per-project", 0, 100_000_000)),
                new NodeConfig.Media(Duration.ofMillis(number("media.fetch-timeout-ms", 100, 600_000)),
                        number("media.fetches-per-project", 1, LinkFetcher.AT_ONCE),
                        Duration.ofMinutes(number("media.sweep-minutes", 1, 24 * 60)),
                        Duration.ofSeconds(number("media.url-valid-s", 1, 7 * 86_400)), publicUrl(),
                        number("media.quota-mb-per-project", 0, 100_000_000) * 1024L * 1024L),
                new NodeConfig.Observability(bool("metrics.open"), logFormat(),
                        Duration.ofHours(number("dashboard.session-hours", 1, 24 * 30))),
                new NodeConfig.Upstream(Duration.ofMillis(number("upstream.timeout-ms", 100, 300_000)),
                        number("upstream.concurrency", 1, 1_000),
                        Duration.ofMillis(number("upstream.retry-first-ms", 1, 3_600_000)),
                        Duration.ofMillis(number("upstream.retry-max-ms", 1, 3_600_000))),
                new NodeConfig.Retention(number("retention.days", 1, 3_650),
                        Duration.ofSeconds(number("retention.sweep-s", 1, 86_400))));
    }

    /** Plain HTTP, and HTTPS when {@code https.port} is set: then {@code https.keystore} must be readable. */
    private NodeConfig.Http http() {
        String host = values.get("http.host");
        int port = port("http.port", values.get("http.port"));
        String httpsPort = values.get("https.port");
        boolean behindProxy = bool("http.behind-proxy");
        if (httpsPort == null || httpsPort.isBlank()) return new NodeConfig.Http(host, port, -1, null, null, behindProxy);
        String keystore = values.get("https.keystore");
        if (keystore == null || !Files.isReadable(Path.of(keystore))) {
            throw new IllegalArgumentException("https.keystore: a readable PKCS12 file (certificate and key) is required"
                    + " with https.port, got '" + keystore + "'");
        }
        return new NodeConfig.Http(host, port, port("https.port", httpsPort), Path.of(keystore),
                values.get("https.keystore-password"), behindProxy);
    }

    /** {@code media.public-url}: http(s), no trailing slash; null when not set (the node's own address then). */
    private String publicUrl() {
        String url = values.get("media.public-url");
        if (url == null || url.isBlank()) return null;
        if (!url.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new IllegalArgumentException("media.public-url: must be an http or https URL such as "
                    + "https://sb.example.com, got '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The admin token when one is configured: at least {@value #ADMIN_TOKEN_MIN_LENGTH} characters, as a token made
     * at random is (the one the node makes when none is set has 256 bits); a short one could be guessed.
     */
    private String adminToken() {
        String token = values.get("admin-token");
        if (token != null && token.strip().length() < ADMIN_TOKEN_MIN_LENGTH) {
            throw new IllegalArgumentException("admin-token: must be at least " + ADMIN_TOKEN_MIN_LENGTH
                    + " characters (a random one, such as `openssl rand -hex 32`), got " + token.strip().length());
        }
        return token;
    }

    /** {@code master-key}: base64 of 32 bytes; null when not set (the key file in the data folder then). */
    private String masterKey() {
        String key = values.get("master-key");
        if (key != null) checkMasterKey("master-key", key);
        return key;
    }

    /**
     * {@code master-keys-previous}: the keys a rotation replaced, comma-separated, which still open what they sealed
     * until the rewrap is done. Only beside {@code master-key}: with the key file they are kept in a file beside it.
     */
    private java.util.List<String> previousMasterKeys() {
        String text = values.get("master-keys-previous");
        if (text == null || text.isBlank()) return java.util.List.of();
        if (values.get("master-key") == null) {
            throw new IllegalArgumentException("master-keys-previous: needs master-key (the current key); with the key "
                    + "file, previous keys are kept in DATA/master.key.previous");
        }
        java.util.List<String> keys = java.util.Arrays.stream(text.split(",")).map(String::trim).toList();
        for (int i = 0; i < keys.size(); i++) checkMasterKey("master-keys-previous (key " + (i + 1) + ")", keys.get(i));
        return keys;
    }

    /** The error names the key, never the value: it is a secret. */
    private static void checkMasterKey(String key, String value) {
        try {
            Vault.ofBase64(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": must be base64 of 32 random bytes (`switchboard keys new` prints "
                    + "one)");
        }
    }

    private NodeConfig.LogFormat logFormat() {
        String text = values.get("log.format").trim().toUpperCase(Locale.ROOT);
        for (NodeConfig.LogFormat format : NodeConfig.LogFormat.values()) {
            if (format.name().equals(text)) return format;
        }
        throw new IllegalArgumentException("log.format: must be text or json, got '" + values.get("log.format") + "'");
    }

    private static int port(String key, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65_535) return port;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": must be a port from 0 to 65535, got '" + text + "'");
    }

    private NodeConfig.Cluster cluster() {
        Duration heartbeat = Duration.ofMillis(number("cluster.heartbeat-ms", 50, 60_000));
        Duration lease = Duration.ofMillis(number("cluster.lease-ms", 200, 600_000));
        if (lease.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("cluster.lease-ms: must be at least 3 heartbeats ("
                    + heartbeat.multipliedBy(3).toMillis() + " ms), or a slow round would lose every lease");
        }
        String host = values.get("http.host");
        String address = values.getOrDefault("cluster.address",
                ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + values.get("http.port"));
        // 64 random bits when none is given: no two nodes of a cluster share one.
        String nodeId = values.getOrDefault("cluster.node-id",
                io.switchboard.store.Ids.format(new java.security.SecureRandom().nextLong()));
        if (!nodeId.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("cluster.node-id: 1 to 32 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
        }
        return new NodeConfig.Cluster(bool("cluster.enabled"), nodeId, address, heartbeat, lease,
                Duration.ofMillis(number("cluster.handoff-poll-ms", 1, 10_000)));
    }

    private boolean bool(String key) {
        String text = values.get(key).trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
        throw new IllegalArgumentException(key + ": must be true or false, got '" + values.get(key) + "'");
    }

    private int number(String key, int min, int max) {
        String text = values.get(key);
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": must be a whole number from " + min + " to " + max + ", got '" + text + "'");
    }
}

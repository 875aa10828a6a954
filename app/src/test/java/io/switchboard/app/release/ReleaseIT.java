package io.switchboard.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.app.bench.Commands;
import io.switchboard.app.bench.NodeProcess;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it (app/target/switchboard-VERSION.tar.gz, made at package): unpacked into an empty
 * folder, a node starts from it with nothing on the PATH but java and bash (no Maven, no javac) and takes a send; its
 * systemd unit passes {@code systemd-analyze verify}; the Dockerfile and compose.yaml refer to what the release has.
 */
class ReleaseIT {
    private static final String VERSION = System.getProperty("sb.version");
    private static final Path TARBALL = Path.of(System.getProperty("sb.release")).normalize();
    private static final Path ROOT = Path.of(System.getProperty("sb.root")).normalize();

    @TempDir static Path unpacked;
    private static Path release;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(TARBALL).as("the release; made by `./switchboard dist`").exists();
        Commands.run("tar", "xzf", TARBALL.toString(), "-C", unpacked.toString());
        release = unpacked.resolve("switchboard-" + VERSION);
        try (var entries = Files.list(unpacked)) {
            assertThat(entries.toList()).as("the tarball's one folder").containsExactly(release);
        }
    }

    @Test
    void aNodeStartsFromTheReleaseWithOnlyJavaOnThePathAndTakesASend() throws Exception {
        assertThat(Files.isExecutable(release.resolve("switchboard"))).as("the launcher is executable").isTrue();
        for (String file : List.of("lib/switchboard.jar", "switchboard.yml", "switchboard.service", "INSTALL.md",
                "prometheus/switchboard-alerts.yml", "grafana/switchboard-dashboard.json")) {
            assertThat(release.resolve(file)).exists();
        }
        Path bin = Files.createDirectories(unpacked.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        Files.createSymbolicLink(bin.resolve("bash"), Path.of("/bin/bash")); // what the launcher's #! looks up

        String adminToken = Tokens.newToken("sba_");
        int port = NodeProcess.freePort();
        Path log = unpacked.resolve("node.log");
        try (SimNetwork network = SimNetwork.start(SimConfig.defaults().withPort(0).withStatsPort(0))) {
            ProcessBuilder builder = new ProcessBuilder(release.resolve("switchboard").toString(), "server",
                    "--config", release.resolve("switchboard.yml").toString(), "--data", unpacked.resolve("data").toString(),
                    "--http-port", Integer.toString(port), "--network", "127.0.0.1:" + network.port())
                    .directory(unpacked.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(Map.of("PATH", bin.toString(), "HOME", unpacked.toString(),
                    "SWITCHBOARD_ADMIN_TOKEN", adminToken, "SWITCHBOARD_ALLOW_PRIVATE_URLS", "true"));
            Process node = builder.start();
            try {
                ApiClient api = new ApiClient("http://127.0.0.1:" + port);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(node.isAlive()).as("the node runs; its log:\n%s", Files.readString(log)).isTrue();
                    return healthy(api);
                });
                String token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "release")).get("token").asText();
                api.expect(201, "/v1/numbers", token, Map.of("number", "+919800000001", "tps", 20, "shards", 1));
                String user = network.users().get(0);
                JsonNode sent = api.expect(202, "/v1/messages", token, Harness.text("+919800000001", user, "from the release"));
                String id = sent.path("messages").get(0).path("id").asText();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        Set.of("sent", "delivered", "read").contains(api.get("/v1/messages/" + id, token).body().path("status").asText()));
            } finally {
                node.destroy();
                if (!node.waitFor(20, TimeUnit.SECONDS)) node.destroyForcibly();
            }
        }
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        Assumptions.assumeTrue(Commands.available("systemd-analyze") || "true".equals(System.getenv("CI")),
                "systemd-analyze is not on this machine");
        // The unit as installed, but with the release where this test unpacked it (verify checks ExecStart exists).
        String unit = Files.readString(release.resolve("switchboard.service")).replace("/opt/switchboard/", release + "/");
        Path installed = Files.writeString(unpacked.resolve("switchboard.service"), unit);
        // It exits 0 on a setting it cannot parse (and says so): anything it says is a failure.
        assertThat(Commands.run("systemd-analyze", "verify", installed.toString()).strip()).isEmpty();
        assertThat(unit).contains("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes",
                "CapabilityBoundingSet=\n", "StateDirectory=switchboard");
    }

    @Test
    void theDockerfileAndComposeFileReferToWhatTheReleaseHas() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher version = Pattern.compile("(?m)^ARG VERSION=(\\S+)$").matcher(dockerfile);
        assertThat(version.find()).as("ARG VERSION in the Dockerfile").isTrue();
        assertThat(version.group(1)).as("the Dockerfile's release version").isEqualTo(VERSION);
        Matcher added = Pattern.compile("(?m)^ADD (\\S+) ").matcher(dockerfile);
        assertThat(added.find()).isTrue();
        Path source = ROOT.resolve(added.group(1).replace("${VERSION}", VERSION));
        assertThat(source).as("what the Dockerfile adds").isEqualTo(ROOT.resolve("app/target").resolve(TARBALL.getFileName()))
                .exists();
        assertThat(dockerfile).contains("HEALTHCHECK", "/health", "ENTRYPOINT [\"/opt/switchboard/switchboard\"]");
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("!app/target/switchboard-*.tar.gz");

        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("compose.yaml").toFile());
        JsonNode services = compose.path("services");
        assertThat(services.has("node")).isTrue();
        assertThat(services.has("postgres")).isTrue();
        assertThat(ROOT.resolve(services.path("node").path("build").asText()).resolve("Dockerfile")).exists();
        JsonNode environment = services.path("node").path("environment");
        assertThat(environment.path("SWITCHBOARD_DB_URL").asText()).isEqualTo("jdbc:postgresql://postgres:5432/switchboard");
        assertThat(services.has(environment.path("SWITCHBOARD_NETWORK").asText().split(":")[0])).as("the network's service").isTrue();
        assertThat(services.path("postgres").path("command").toString()).contains("synchronous_commit=on");
        assertThat(services.path("postgres").path("healthcheck").path("test").toString()).contains("pg_isready");
    }

    private static boolean healthy(ApiClient api) {
        try {
            return api.get("/health", "").status() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

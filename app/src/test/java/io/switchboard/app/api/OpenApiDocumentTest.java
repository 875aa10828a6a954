package io.switchboard.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Routes;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document the node serves at {@code /openapi.json} stays true: it lists exactly the routes the node
 * registered (method and path), every reference in it resolves, every operation answers errors in the error shape,
 * and the page that renders it ({@code /docs}) is served with its assets by the node itself.
 */
class OpenApiDocumentTest {
    @TempDir static Path tempDir;
    static Harness harness;
    static JsonNode document;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
        HttpResponse<String> answer = get("/openapi.json");
        assertThat(answer.statusCode()).as("served without a token").isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        document = new ObjectMapper().readTree(answer.body());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void theDocumentListsExactlyTheRoutesTheNodeServes() {
        Set<String> registered = Routes.registered(harness.node);
        Set<String> documented = Routes.documented(document);
        assertThat(registered).as("the router").contains("POST /v1/messages", "GET /v1/messages/{}", "GET /openapi.json");

        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(registered);
        assertThat(undocumented).as("routes the node serves that openapi.yaml does not describe").isEmpty();
        assertThat(unserved).as("routes openapi.yaml describes that the node does not serve").isEmpty();
    }

    @Test
    void itIsOpenApi3AndEveryReferenceResolves() throws Exception {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        ParseOptions resolve = new ParseOptions();
        resolve.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(new ObjectMapper().writeValueAsString(document), null, resolve);
        assertThat(parsed.getMessages()).as("what swagger-parser finds wrong with the document").isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).hasSameSizeAs(document.path("paths"));
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/parameters/IdempotencyKey/name").asText()).isEqualTo("Idempotency-Key");
        List<String> broken = new ArrayList<>();
        List<String> refs = document.findValuesAsText("$ref");
        for (String ref : refs) {
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) broken.add(ref);
        }
        assertThat(refs).hasSizeGreaterThan(50);
        assertThat(broken).as("references to nothing").isEmpty();
    }

    @Test
    void everyMessageKindHasASchemaAndErrorsHaveTheErrorShape() {
        JsonNode message = document.at("/components/schemas/OutgoingMessage/allOf/1/properties");
        List<String> kinds = new ArrayList<>();
        message.path("type").path("enum").forEach(kind -> kinds.add(kind.asText()));
        assertThat(kinds).containsExactlyInAnyOrder("text", "image", "video", "audio", "document", "sticker", "location",
                "contacts", "interactive", "template", "reaction");
        for (String kind : kinds) assertThat(message.has(kind)).as("a schema for " + kind).isTrue();
        assertThat(document.at("/components/schemas/Error/properties/error/properties").fieldNames())
                .toIterable().containsExactlyInAnyOrder("code", "message", "field");
        // Every 4xx is in our shape, but the Cloud API endpoint's, which are in the Graph API's (Meta's codes); its
        // 404 is a path whose version is not a Graph version, which is not that route.
        document.path("paths").properties().forEach(path -> path.getValue().forEach(operation -> operation
                .path("responses").properties().forEach(response -> {
                    if (response.getKey().startsWith("4") && response.getValue().has("$ref")) {
                        JsonNode resolved = document.at(response.getValue().path("$ref").asText().substring(1));
                        boolean graph = path.getKey().startsWith("/{version}/") && !response.getKey().equals("404");
                        assertThat(resolved.at("/content/application~1json/schema/$ref").asText())
                                .as(path.getKey() + " " + response.getKey())
                                .isEqualTo(graph ? "#/components/schemas/GraphError" : "#/components/schemas/Error");
                    }
                })));
        assertThat(document.at("/components/schemas/GraphError/properties/error/properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("message", "type", "code", "error_subcode", "error_data", "fbtrace_id");
    }

    @Test
    void theDocsPageAndItsAssetsComeFromTheNode() throws Exception {
        HttpResponse<String> page = get("/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self';").contains("connect-src 'self'").doesNotContain("unsafe-eval"));
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> paths = new ArrayList<>();
        while (assets.find()) paths.add(assets.group(1));
        assertThat(paths).as("every asset is the node's own").allSatisfy(path -> assertThat(path).startsWith("/docs/assets/"))
                .hasSize(3);
        for (String path : paths) {
            HttpResponse<String> asset = get(path);
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(asset.body()).as(path).isNotEmpty();
        }
        assertThat(get("/docs/assets/swagger-initializer.js").statusCode()).as("only the listed assets").isEqualTo(404);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

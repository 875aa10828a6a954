package io.switchboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API's own description: {@code GET /openapi.json}, an OpenAPI 3 document kept as YAML beside this class
 * ({@code openapi.yaml}, easier to read and to merge) and served as JSON, and {@code GET /docs}, a page that renders it
 * with Swagger UI from its WebJar. Neither needs a token: the document names no project's data.
 */
final class OpenApiRoutes {
    static final String DOCUMENT = "/io/switchboard/api/openapi.yaml";
    private static final String SWAGGER_UI_BUNDLE = WebPages.webJar("org.webjars", "swagger-ui", "swagger-ui-bundle.js");
    private static final String SWAGGER_UI_CSS = WebPages.webJar("org.webjars", "swagger-ui", "swagger-ui.css");
    private static final Map<String, String> ASSETS = Map.of(
            "docs.js", "/io/switchboard/api/docs/docs.js",
            "swagger-ui-bundle.js", SWAGGER_UI_BUNDLE,
            "swagger-ui.css", SWAGGER_UI_CSS);

    private final byte[] document;

    OpenApiRoutes(ObjectMapper json) {
        try {
            this.document = json.writeValueAsBytes(new YAMLMapper().readTree(WebPages.resource(DOCUMENT)));
        } catch (IOException e) {
            throw new UncheckedIOException("the API's OpenAPI document " + DOCUMENT + " does not parse", e);
        }
    }

    void addTo(Javalin server) {
        server.get("/openapi.json", ctx -> ctx.status(200).contentType("application/json").result(document));
        server.get("/docs", this::page);
        server.get("/docs/assets/{name}", this::asset);
    }

    private void page(Context ctx) {
        WebPages.securityHeaders(ctx);
        ctx.status(200).contentType("text/html; charset=utf-8").result(WebPages.resource("/io/switchboard/api/docs/index.html"));
    }

    private void asset(Context ctx) {
        String path = ASSETS.get(ctx.pathParam("name"));
        if (path == null) throw ApiError.notFound("asset " + ctx.pathParam("name"));
        WebPages.asset(ctx, path, !path.startsWith("/io/switchboard/"));
    }
}

package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * HTTP calls the demo's {@code ApiClient} does not make: any method, the answer's headers, and bodies sent in chunks
 * (no Content-Length), as a client that streams would send them.
 */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The answer: status, JSON body (null node when empty) and headers. */
    public record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String code() {
            return body.path("error").path("code").asText();
        }
    }

    /** {@code body}: null for none, a String as is, anything else as JSON. */
    public Answer call(String method, String path, String token, Object body) throws IOException, InterruptedException {
        return send(method, path, token, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }

    /** The body as a stream of unknown length: sent with Transfer-Encoding: chunked. */
    public Answer chunked(String method, String path, String token, Object body) throws IOException, InterruptedException {
        byte[] bytes = bytes(body);
        return send(method, path, token, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    }

    private Answer send(String method, String path, String token, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, body)
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response.headers());
    }

    private static byte[] bytes(Object body) throws IOException {
        return body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
    }
}

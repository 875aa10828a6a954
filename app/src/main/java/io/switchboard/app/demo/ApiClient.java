package io.switchboard.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small client of the node's HTTP API, as a customer's server would use it. */
public final class ApiClient {
    private final ObjectMapper json = new ObjectMapper();
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(String base) {
        this.base = base;
    }

    /** The answer: its status and JSON body. */
    public record Answer(int status, JsonNode body) {}

    public Answer post(String path, String token, Object body) throws IOException, InterruptedException {
        return send("POST", path, token, body);
    }

    public Answer patch(String path, String token, Object body) throws IOException, InterruptedException {
        return send("PATCH", path, token, body);
    }

    /** A POST with extra headers ({@code Idempotency-Key}, say). */
    public Answer post(String path, String token, Object body, java.util.Map<String, String> headers)
            throws IOException, InterruptedException {
        return send("POST", path, token, body, headers);
    }

    public Answer delete(String path, String token) throws IOException, InterruptedException {
        return answer(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(TIMEOUT).DELETE().build());
    }

    private Answer send(String method, String path, String token, Object body) throws IOException, InterruptedException {
        return send(method, path, token, body, java.util.Map.of());
    }

    private Answer send(String method, String path, String token, Object body, java.util.Map<String, String> headers)
            throws IOException, InterruptedException {
        byte[] bytes = body instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : json.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        return answer(request.build());
    }

    public Answer get(String path, String token) throws IOException, InterruptedException {
        return answer(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(TIMEOUT).GET().build());
    }

    /** A POST that must succeed with the given status; anything else is an error that shows the answer. */
    public JsonNode expect(int status, String path, String token, Object body) throws IOException, InterruptedException {
        Answer answer = post(path, token, body);
        if (answer.status() != status) {
            throw new IOException("POST " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    private Answer answer(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
        return new Answer(response.statusCode(), body);
    }
}

package io.switchboard.app.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Media calls as a customer makes them over real HTTP: multipart uploads like the Cloud API's (a {@code file} part
 * with its own Content-Type, and form fields), downloads of the raw bytes, deletes; and test files.
 */
public final class Uploads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    public Uploads(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** An answer: the status, the body's bytes, its Content-Type, and the body as JSON when it is JSON. */
    public record Answer(int status, byte[] bytes, String contentType) {
        public JsonNode json() throws IOException {
            return JSON.readTree(bytes);
        }

        public String code() throws IOException {
            return json().path("error").path("code").asText();
        }

        public String field() throws IOException {
            return json().path("error").path("field").asText();
        }
    }

    /** Uploads {@code bytes} as the file part with {@code partType}; {@code fields} are the other form fields. */
    Answer upload(String token, byte[] bytes, String partType, String filename, Map<String, String> fields)
            throws IOException, InterruptedException {
        return upload("/v1/media", token, bytes, partType, filename, fields);
    }

    /** As {@link #upload(String, byte[], String, String, Map)}, to {@code path} (the Cloud API's upload route). */
    public Answer upload(String path, String token, byte[] bytes, String partType, String filename,
                         Map<String, String> fields) throws IOException, InterruptedException {
        String boundary = "----switchboard" + Long.toHexString(new Random().nextLong());
        ByteArrayOutputStream body = new ByteArrayOutputStream((bytes == null ? 0 : bytes.length) + 1_024);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n");
        }
        if (bytes != null) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\n" + (partType == null ? "" : "Content-Type: " + partType + "\r\n") + "\r\n");
            body.write(bytes);
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    /** An upload for {@code number} with the part's own Content-Type and the Cloud API's fields. */
    public Answer upload(String token, String number, byte[] bytes, String type) throws IOException, InterruptedException {
        return upload(token, bytes, type, "file.bin", fields("messaging_product", "whatsapp", "number", number));
    }

    /** The id of an upload that must succeed. */
    public String uploaded(String token, String number, byte[] bytes, String type) throws IOException, InterruptedException {
        Answer answer = upload(token, number, bytes, type);
        if (answer.status() != 201) throw new AssertionError("upload: " + answer.status() + " " + new String(answer.bytes()));
        return answer.json().path("id").asText();
    }

    public Answer get(String token, String id) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/media/" + id))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    public Answer delete(String token, String id) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/media/" + id))
                .header("Authorization", "Bearer " + token).DELETE().build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    /** A GET of an absolute URL with the token, as a client library downloads a media URL. */
    public Answer download(String url, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build());
    }

    public static Map<String, String> fields(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) fields.put(pairs[i], pairs[i + 1]);
        return fields;
    }

    /** Random bytes (so no chunk of them shows up by chance anywhere else), behind the given header. */
    public static byte[] file(int size, byte[] header) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        System.arraycopy(header, 0, bytes, 0, Math.min(header.length, size));
        return bytes;
    }

    public static byte[] file(int size) {
        return file(size, new byte[0]);
    }

    /** A WebP header: RIFF, size, WEBPVP8X, and the flags byte with or without the animation bit. */
    static byte[] webp(int size, boolean animated) {
        byte[] header = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        header[20] = (byte) (animated ? 0x02 : 0x00);
        return file(size, header);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}

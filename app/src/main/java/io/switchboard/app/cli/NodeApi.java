package io.switchboard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.demo.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A node's HTTP API as {@code switchboard admin} calls it: where the node is, the caller's token, and how answers
 * are shown (a table for people, the node's JSON for scripts). The token is sent as a bearer token and never
 * printed or logged, also not in an error.
 */
public final class NodeApi {
    static final String TOKEN_VARIABLE = "SWITCHBOARD_TOKEN";
    /** The largest page the API gives ({@code ?limit=}): a list is read whole, a page at a time. */
    private static final int PAGE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "the node's API (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "the node admin's token (projects) or a project's "
            + "token with the admin scope (tokens, numbers); else the " + TOKEN_VARIABLE + " environment variable, "
            + "which keeps it out of the process list")
    String token;

    @Option(names = "--json", description = "print the node's JSON answer instead of a table")
    boolean json;

    /** Made at the first call: one connection pool for a command's calls (a list's pages). */
    private ApiClient client;

    JsonNode get(String path) {
        return call(client -> client.get(path, token()));
    }

    JsonNode post(String path, JsonNode body) {
        return call(client -> client.post(path, token(), body));
    }

    JsonNode delete(String path) {
        return call(client -> client.delete(path, token()));
    }

    /** One request to the node. */
    private interface Exchange {
        ApiClient.Answer with(ApiClient client) throws IOException, InterruptedException;
    }

    /** The answer of a call that succeeded (2xx): its JSON, a null node for none (204); else a {@link Failure}. */
    private JsonNode call(Exchange exchange) {
        ApiClient.Answer answer;
        try {
            if (client == null) client = new ApiClient(base());
            answer = exchange.with(client);
        } catch (JsonProcessingException e) {
            throw new Failure("the answer from " + url + " is not the API's JSON: is it a Switchboard node?");
        } catch (IOException e) {
            throw new Failure("cannot reach the node at " + url + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while calling " + url);
        }
        if (answer.status() >= 300) throw Failure.of(answer.status(), answer.body());
        return answer.body();
    }

    /** Every item of a list route ({@code {"<field>":[...],"next"}}), page after page, as one {@code {"<field>":[...]}}. */
    ObjectNode list(String path, String field) {
        ObjectNode all = JSON.createObjectNode();
        ArrayNode items = all.putArray(field);
        String after = null;
        do {
            JsonNode page = get(path + "?limit=" + PAGE + (after == null ? "" : "&after=" + segment(after)));
            page.path(field).forEach(items::add);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return all;
    }

    /** Prints a list: its JSON, or a table of one row an item with these columns (header to cell). */
    void printList(ObjectNode list, String field, Map<String, Function<JsonNode, String>> columns) {
        if (json) {
            print(list);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.copyOf(columns.keySet()));
        for (JsonNode item : list.path(field)) rows.add(columns.values().stream().map(cell -> cell.apply(item)).toList());
        table(rows);
        if (list.path(field).isEmpty()) out().println("(none)");
    }

    /** Prints one object: its JSON, or a table of its fields and values. */
    void printObject(JsonNode object) {
        if (json) {
            print(object);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        object.properties().forEach(field -> rows.add(List.of(field.getKey(), text(field.getValue()))));
        table(rows);
    }

    /** Prints a line for people; with {@code --json}, the answer (or {@code {}} for none) instead. */
    void printDone(String sentence, JsonNode answer) {
        if (json) print(answer.isNull() ? JSON.createObjectNode() : answer);
        else out().println(sentence);
    }

    /** A field of a row as a table shows it: "-" for none, a list comma-separated, an object as JSON. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return "-";
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(item -> parts.add(text(item)));
            return String.join(",", parts);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** One path segment, encoded: a number's {@code +} as {@code %2B}. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private void print(JsonNode node) {
        try {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree Jackson built itself always writes
        }
    }

    /** Columns padded to their widest cell, two spaces apart; the first row is the header. */
    private void table(List<List<String>> rows) {
        int[] widths = new int[rows.getFirst().size()];
        for (List<String> row : rows) for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
            }
            out().println(line);
        }
    }

    private String base() {
        if (!url.matches("https?://[^/?#]+(/[^?#]*)?")) {
            throw new Failure("--url must be the node's http or https address, such as http://127.0.0.1:8080; got " + url);
        }
        return url.replaceAll("/+$", "");
    }

    private String token() {
        String given = token != null ? token : System.getenv(TOKEN_VARIABLE);
        if (given == null || given.isBlank()) {
            throw new Failure("no token: give --token TOKEN or set " + TOKEN_VARIABLE);
        }
        return given.strip();
    }

    /** A call that did not succeed, said as the API said it: its status, error code, message and field. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }

        static Failure of(int status, JsonNode answer) {
            JsonNode error = answer.path("error");
            if (!error.path("code").isTextual()) return new Failure("the node answered " + status + (answer.isNull() ? "" : ": " + answer));
            String field = error.path("field").isTextual() ? " (field " + error.path("field").asText() + ")" : "";
            return new Failure(status + " " + error.path("code").asText() + ": " + error.path("message").asText() + field);
        }
    }
}

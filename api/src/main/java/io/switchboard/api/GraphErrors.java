package io.switchboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.store.Ids;
import io.switchboard.store.ids.ProcessIds;

/**
 * Our errors as the Graph API writes them, for the Cloud API compatible endpoint: {@code {"error":{"message","type",
 * "code","error_data":{"messaging_product","details"},"fbtrace_id"}}}, with Meta's code where one means the same
 * (a client library raises its error class from the code), and our own sentence, which names the field, as the
 * details. The HTTP status is Meta's for that code.
 */
final class GraphErrors {
    /** Meta's code, its title, its error type and its HTTP status. */
    record Graph(int code, String title, String type, int status) {}

    static final Graph INVALID_PARAMETER = new Graph(100, "Invalid parameter", "OAuthException", 400);
    static final Graph NO_SUCH_OBJECT = new Graph(100, "Unsupported post request", "GraphMethodException", 400);
    private static final Graph MISSING_PARAMETER = new Graph(131008, "Required parameter is missing", "OAuthException", 400);
    private static final Graph UNSUPPORTED_TYPE = new Graph(131051, "Unsupported message type", "OAuthException", 400);
    private static final Graph BAD_TOKEN = new Graph(190, "Invalid OAuth access token - Cannot parse access token",
            "OAuthException", 401);
    private static final Graph NO_PERMISSION = new Graph(10, "Application does not have permission for this action",
            "OAuthException", 403);
    private static final Graph REQUEST_LIMIT = new Graph(4, "Application request limit reached", "OAuthException", 429);
    private static final Graph UNAVAILABLE = new Graph(2, "Service temporarily unavailable", "OAuthException", 503);

    private GraphErrors() {}

    /** The Graph error that stands for ours. */
    static Graph of(ApiError error) {
        return switch (error.status()) {
            case 401 -> BAD_TOKEN;
            case 403 -> NO_PERMISSION;
            case 404 -> NO_SUCH_OBJECT;
            case 429 -> REQUEST_LIMIT;
            case 503 -> UNAVAILABLE;
            default -> switch (error.code()) {
                case "missing_field" -> MISSING_PARAMETER;
                case "unsupported_type" -> UNSUPPORTED_TYPE;
                default -> INVALID_PARAMETER;
            };
        };
    }

    /** The body of the answer: Meta's "(#code) title" as the message, our sentence as the details. */
    static ObjectNode body(ObjectMapper json, Graph graph, String details) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", "(#" + graph.code() + ") " + graph.title());
        error.put("type", graph.type());
        error.put("code", graph.code());
        error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        error.put("fbtrace_id", Ids.format(ProcessIds.next())); // Meta's id for a support request; ours names nothing
        return body;
    }
}

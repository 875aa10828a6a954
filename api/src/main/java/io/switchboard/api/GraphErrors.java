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
    /** Meta's code, its subcode (0: none), its title, its error type and its HTTP status. */
    record Graph(int code, int subcode, String title, String type, int status) {}

    /** Meta's subcode of an object that does not exist, or is not the caller's, or has no such edge. */
    private static final int NO_SUCH_OBJECT = 33;
    static final Graph INVALID_PARAMETER = new Graph(100, 0, "Invalid parameter", "OAuthException", 400);
    private static final Graph MISSING_PARAMETER = new Graph(131008, 0, "Required parameter is missing", "OAuthException", 400);
    private static final Graph UNKNOWN_TEMPLATE = new Graph(132001, 0, "Template name does not exist in the translation",
            "OAuthException", 400);
    /** Meta's answer to a template whose name exists in that language already. */
    private static final Graph TEMPLATE_EXISTS = new Graph(100, 2388024, "Invalid parameter", "OAuthException", 400);
    private static final Graph UNSUPPORTED_TYPE = new Graph(131051, 0, "Unsupported message type", "OAuthException", 400);
    private static final Graph BAD_TOKEN = new Graph(190, 0, "Invalid OAuth access token - Cannot parse access token",
            "OAuthException", 401);
    private static final Graph NO_PERMISSION = new Graph(10, 0, "Application does not have permission for this action",
            "OAuthException", 403);
    private static final Graph REQUEST_LIMIT = new Graph(4, 0, "Application request limit reached", "OAuthException", 429);
    private static final Graph UNAVAILABLE = new Graph(2, 0, "Service temporarily unavailable", "OAuthException", 503);

    private GraphErrors() {}

    /**
     * The Graph error that stands for ours; {@code method} names the request in Meta's "Unsupported get request" of
     * an object or route that is not there (or not the caller's).
     */
    static Graph of(ApiError error, String method) {
        return switch (error.status()) {
            case 401 -> BAD_TOKEN;
            case 403 -> NO_PERMISSION;
            case 404 -> new Graph(100, NO_SUCH_OBJECT, "Unsupported " + method.toLowerCase(java.util.Locale.ROOT)
                    + " request", "GraphMethodException", 400);
            case 429 -> REQUEST_LIMIT;
            case 503 -> UNAVAILABLE;
            default -> switch (error.code()) {
                case "missing_field" -> MISSING_PARAMETER;
                case "unsupported_type" -> UNSUPPORTED_TYPE;
                case "unknown_template" -> UNKNOWN_TEMPLATE;
                case "template_exists" -> TEMPLATE_EXISTS;
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
        if (graph.subcode() != 0) error.put("error_subcode", graph.subcode());
        error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        error.put("fbtrace_id", Ids.format(ProcessIds.next())); // Meta's id for a support request; ours names nothing
        return body;
    }
}

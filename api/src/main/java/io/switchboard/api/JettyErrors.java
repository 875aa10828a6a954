package io.switchboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers Jetty gives itself, before a request reaches the API (a path it will not decode, a header or URI too
 * long, a malformed request line): in the API's error shape, not Jetty's HTML page, so every client reads one shape.
 * The code is the status's name ({@code bad_request}, {@code uri_too_long}).
 */
final class JettyErrors extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JettyErrors.class);
    private final ObjectMapper json;

    JettyErrors(ObjectMapper json) {
        this.json = json;
    }

    /** A request the HTTP parser refused. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        LOG.info("refused by the HTTP parser: {} {}", status, reason);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    /** A request Jetty refused after parsing it (an ambiguous path, say). */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        LOG.info("refused by Jetty: {} {}", code, message);
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, message));
    }

    private byte[] body(int status, String reason) {
        String name = HttpStatus.getMessage(status);
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
        error.put("message", reason == null || reason.isBlank() ? name : reason);
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

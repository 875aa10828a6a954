package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the network told besides a message's content or a status, as the formats read it: an incoming message's
 * origin ({@code {"name","context":{"from","id"},"referral"}}) or a status event's details (Meta's {@code errors},
 * {@code conversation}, {@code pricing}). Absent parts read as missing nodes, so a format asks without null checks.
 */
record Told(JsonNode json) {
    static final Told NOTHING = new Told(MissingNode.getInstance());

    static Told of(String stored, ObjectMapper mapper) {
        if (stored == null) return NOTHING;
        try {
            JsonNode json = mapper.readTree(stored);
            return json != null && json.isObject() ? new Told(json) : NOTHING;
        } catch (IOException e) {
            throw new UncheckedIOException("stored webhook details that are not JSON", e);
        }
    }

    /** The sender's profile name, "" when not told. */
    String name() {
        return json.path("name").asText("");
    }

    /** The message an incoming one replies to ({@code {"from","id"}}), or a missing node. */
    JsonNode context() {
        return json.path("context");
    }

    /** The id of the message replied to: ours (as our API shows it) when we know that message, else the network's. */
    String contextId() {
        return context().path("id").asText("");
    }

    /** Meta's referral object (the ad the user came from), or a missing node. */
    JsonNode referral() {
        return json.path("referral");
    }

    /** Meta's error objects of a failed status ({@code [{code,title,message,error_data{details}}]}), or a missing node. */
    JsonNode errors() {
        return json.path("errors");
    }

    JsonNode conversation() {
        return json.path("conversation");
    }

    JsonNode pricing() {
        return json.path("pricing");
    }
}

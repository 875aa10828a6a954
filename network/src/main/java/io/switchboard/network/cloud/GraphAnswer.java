package io.switchboard.network.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;

/**
 * What the Graph API answered a send, sorted by what the link must do about it. Meta's codes
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes): 130429, 80007 and 4 are throughput
 * and rate limits (slow the number down, send again later); 131056 is the pair rate limit (wait for that user only);
 * 1, 2, 131000 and 131016 are Meta's own trouble, like a 5xx (send again); 190 (the access token expired or is
 * wrong) waits too, so that messages wait for the operator's new token instead of all failing; anything else, 131048
 * included, is final.
 */
sealed interface GraphAnswer {
    Set<Integer> THROTTLE = Set.of(130429, 80007, 4);
    int PAIR_RATE = 131056;
    Set<Integer> TRANSIENT = Set.of(1, 2, 131000, 131016, 190);
    /** The store keeps up to 200 characters of error: the code and a reason cut to this. */
    int MAX_REASON = 150;
    /** The code of an answer that is not one the Graph API gives. */
    String BAD_ANSWER = "upstream_answer";

    record Sent(String wamid) implements GraphAnswer {}

    record Throttled() implements GraphAnswer {}

    record PairLimited() implements GraphAnswer {}

    record Transient(String why) implements GraphAnswer {}

    record Rejected(String code, String reason) implements GraphAnswer {}

    static GraphAnswer of(int status, byte[] body, ObjectMapper json) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        if (status / 100 == 2) {
            String wamid = tree == null ? "" : tree.path("messages").path(0).path("id").asText("");
            return wamid.isEmpty() ? badAnswer("a " + status + " without messages[0].id")
                    : new Sent(wamid);
        }
        JsonNode error = tree == null ? null : tree.path("error");
        int code = error == null ? -1 : error.path("code").asInt(-1);
        if (THROTTLE.contains(code) || (code < 0 && status == 429)) return new Throttled();
        if (code == PAIR_RATE) return new PairLimited();
        if (status >= 500 || TRANSIENT.contains(code) || code < 0) return new Transient("HTTP " + status + " code " + code);
        String reason = error.path("message").asText("");
        String details = error.path("error_data").path("details").asText("");
        if (!details.isEmpty()) reason = reason + " (" + details + ")";
        return new Rejected(String.valueOf(code), reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
    }

    /**
     * An answer that is not the Graph API's (a 2xx without a wamid, one too large to read): final, since whether Meta
     * took the message is unknown and sending it again could send it twice.
     */
    static GraphAnswer badAnswer(String why) {
        return new Rejected(BAD_ANSWER, why);
    }
}

package io.switchboard.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.store.EventRecord;
import io.switchboard.store.MessageRecord;
import java.util.List;
import java.util.Set;

/**
 * The JSON bodies of a project's Webhook and Event Webhook calls. A project picks one by name, so a bot written
 * against Meta's Cloud API can take our calls unchanged ({@code cloud}) while others keep our own shape
 * ({@code native}), and users of the provider's Push API theirs ({@code push}). Bodies are bytes because they are signed and sent exactly as returned.
 */
public interface PayloadFormat {
    String NATIVE = "native";
    String CLOUD = "cloud";
    /** The provider's own format, for users of its Push API ({@code POST /api/v2/push}) and Event Webhook. */
    String PUSH = "push";
    /** The names {@link #of} takes, for checking a project's setting before it is stored. */
    Set<String> NAMES = Set.of(NATIVE, CLOUD, PUSH);

    /**
     * The Webhook body for one incoming message; {@code payload} is its content, the JSON object of its type;
     * {@code origin} what the network said about it besides ({@code {"name","context":{"from","id"},"referral"}},
     * each when told), or null.
     */
    byte[] incoming(MessageRecord message, String payload, String origin);

    /** The Event Webhook body for a batch of one project's status events, in the batch's order. */
    byte[] events(List<EventRecord> events);

    /**
     * Whether its events carry what each message was sent as ({@link EventRecord#sent}: its callback value, type,
     * network id), which then has to be read from the store first.
     */
    default boolean readsMessages() {
        return false;
    }

    /**
     * The format called {@code name}, writing with {@code json}.
     *
     * @throws IllegalArgumentException when the name is not one of {@link #NAMES}
     */
    static PayloadFormat of(String name, ObjectMapper json) {
        return switch (name) {
            case NATIVE -> new Payloads(json);
            case CLOUD -> new CloudPayloads(json);
            case PUSH -> new PushPayloads(json);
            case null, default -> throw new IllegalArgumentException(
                    "no payload format \"" + name + "\"; there are " + String.join(", ", NAMES.stream().sorted().toList()));
        };
    }
}

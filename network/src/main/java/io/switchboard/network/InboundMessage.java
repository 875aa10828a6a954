package io.switchboard.network;

/**
 * A message a user sent to one of our numbers; {@code payload} is the JSON content of {@code type}. {@code context}
 * is the message the user replied to, null when none; {@code referral} the JSON object of Meta's {@code referral}
 * (the user came from an ad), null when none.
 */
public record InboundMessage(String networkId, String from, String profileName, String type, String payload,
                             long atMillis, Context context, String referral) {

    /** A message that replies to nothing and came from no ad. */
    public InboundMessage(String networkId, String from, String profileName, String type, String payload, long atMillis) {
        this(networkId, from, profileName, type, payload, atMillis, null, null);
    }

    /** The same message with another content (a file fetched and stored in place of its media id). */
    public InboundMessage withPayload(String newPayload) {
        return new InboundMessage(networkId, from, profileName, type, newPayload, atMillis, context, referral);
    }

    /**
     * What a reply replies to, as the network names it: {@code from}, who sent that message (digits, as Meta writes
     * them), and {@code networkId}, the network's id of it (Meta's wamid).
     */
    public record Context(String from, String networkId) {}
}

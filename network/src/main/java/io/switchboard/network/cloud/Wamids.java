package io.switchboard.network.cloud;

import java.util.Optional;

/** One number's messages by Meta's ids (wamids) and back, as the store keeps them. */
public interface Wamids {
    /** The number's outgoing message Meta knows by {@code wamid}. */
    Optional<Long> outgoing(String wamid);

    /** The wamid of the number's message that we know by {@code messageId} (as our API shows it), once it has one. */
    Optional<String> of(String messageId);
}

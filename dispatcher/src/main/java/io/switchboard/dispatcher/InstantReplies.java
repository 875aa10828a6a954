package io.switchboard.dispatcher;

import io.switchboard.engine.OutgoingMessage;
import io.switchboard.engine.RejectedReply;
import io.switchboard.store.Project;
import io.switchboard.store.write.Write;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the replies a Webhook answer carried, and records the ones that broke the message rules as failed
 * messages (with a {@code failed} event), all stored in one commit with {@code alsoCommit}.
 */
@FunctionalInterface
public interface InstantReplies {
    CompletableFuture<?> send(Project project, List<OutgoingMessage> replies, List<RejectedReply> rejected,
                              Write alsoCommit);
}

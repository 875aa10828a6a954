package io.switchboard.dispatcher;

import io.switchboard.engine.OutgoingMessage;
import io.switchboard.store.Project;
import io.switchboard.store.write.Write;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends the replies a Webhook answer carried, stored in one commit with {@code alsoCommit}. */
@FunctionalInterface
public interface InstantReplies {
    CompletableFuture<?> send(Project project, List<OutgoingMessage> replies, Write alsoCommit);
}

package io.switchboard.app.bench;

import io.switchboard.store.Ids;
import java.io.IOException;
import java.util.Set;

/** Asks the node, through its API, which messages it has as taken by the network (sent, delivered or read). */
final class SentByTheNode {
    /** More missing than this are still on their way: not worth a request each. */
    static final int MOST_ASKED = 1_000;
    private static final Set<String> TAKEN = Set.of("sent", "delivered", "read");
    private final DrillNode node;
    private final String token;

    SentByTheNode(DrillNode node, String token) {
        this.node = node;
        this.token = token;
    }

    boolean all(Set<Long> ids) {
        return count(ids) == ids.size();
    }

    long count(Set<Long> ids) {
        return ids.stream().filter(this::taken).count();
    }

    private boolean taken(long id) {
        try {
            return TAKEN.contains(node.api().get("/v1/messages/" + Ids.format(id), token).body().path("status").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

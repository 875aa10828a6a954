package io.switchboard.store.write;

import io.switchboard.store.EventRecord;
import io.switchboard.store.IdempotencyKey;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import java.util.List;

/** One change to the store, applied by the {@link WriteBatcher} in a group commit with many others. */
public sealed interface Write {

    /**
     * Stores a message. An incoming one whose network id is stored already is skipped (result 0), for at-least-once
     * input; an outgoing one whose id is stored already fails the whole commit, so it is never acknowledged unstored.
     * The event, if any (a reply that failed at once, say), is stored with it.
     */
    record InsertMessage(MessageRecord message, EventRecord event) implements Write {
        public InsertMessage(MessageRecord message) {
            this(message, null);
        }
    }

    /**
     * Applies {@code writes} (a send's messages and, in a cluster, their handoffs) only if the project has not used
     * the key yet (result 1); when it has (result 0), nothing is stored. A key made before {@code forgetBefore}
     * (epoch ms) is past its lifetime and is taken over, so it may be used again. Two sends with one key, on one node or on several, store the
     * messages of one of them only.
     */
    record InsertOnce(IdempotencyKey key, long forgetBefore, List<Write> writes) implements Write {
        public InsertOnce {
            writes = List.copyOf(writes);
            for (Write write : writes) {
                if (!(write instanceof InsertMessage || write instanceof Handoff)) {
                    throw new IllegalArgumentException("a send under a key stores messages and handoffs, not " + write);
                }
            }
        }
    }

    /** Forgets idempotency keys made before {@code before} (epoch ms), up to a few thousand at a time. */
    record ForgetKeys(long before) implements Write {}

    /**
     * Moves a message of the number to a higher status (result 1) or does nothing when it already is at or past it
     * (result 0); an expiry or a cancellation applies only to a message still queued. The event, if any, is stored
     * for the Event Webhook, and the number's daily usage counted, only when the change applied.
     */
    record ChangeStatus(long messageId, String number, MessageStatus status, long at, String networkId, String error,
                        EventRecord event) implements Write {
        public ChangeStatus {
            java.util.Objects.requireNonNull(number, "number");
        }
    }

    /**
     * One member's report on a message sent to a group. Applied (result bit 1) only when it moves the member
     * forward: then its event, if any, is stored and the number's daily usage counted. A delivered or read report
     * also moves the message itself forward, as its first member's report (result bit 2); a member's failure does
     * not fail the message.
     */
    record MemberStatus(long messageId, String number, String member, MessageStatus status, long at,
                        EventRecord event) implements Write {
        public static final int MEMBER_MOVED = 1, MESSAGE_MOVED = 2;

        public MemberStatus {
            java.util.Objects.requireNonNull(number, "number");
            if (status.rank() < MessageStatus.DELIVERED.rank() || status.onlyFromQueued()) {
                throw new IllegalArgumentException("a member reports delivered, read or failed, not " + status);
            }
        }
    }

    /**
     * A user the number heard from, at {@code at} (epoch ms), with the profile name of that message, sealed; kept
     * unless a later sighting is stored already. Rides along with the message it came with: no commit of its own.
     */
    record SeenContact(String number, String projectId, String user, byte[] sealedName, long at) implements Write {}

    /** The customer's Webhook took the incoming message. */
    record HookDone(long messageId) implements Write {}

    /** The customer's Event Webhook took the event. */
    record EventDone(long eventId) implements Write {}

    /** The Webhook call for the incoming message was given up: it becomes a dead letter, kept for a replay. */
    record HookDead(long messageId, String reason, long at) implements Write {}

    /** The Event Webhook call carrying the event was given up: a dead letter, kept for a replay. */
    record EventDead(long eventId, String reason, long at) implements Write {}

    /** A queued message for a shard another node sends: that node takes it from the handoffs. */
    record Handoff(long messageId, String number, int shard, int priority) implements Write {}

    /**
     * A queued message stored for the wrong shard (its node had not yet seen a re-shard) moves to {@code shard}, its
     * handoff too, so that shard's owner takes it and a restart reads it there.
     */
    record Reroute(long messageId, int shard) implements Write {}

    /** The shard's owner took the handed-off message into its outbox. */
    record HandoffTaken(long messageId) implements Write {}
}

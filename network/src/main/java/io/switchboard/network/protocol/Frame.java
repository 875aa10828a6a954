package io.switchboard.network.protocol;

/** One protocol frame. On the wire: int length of the rest, byte type, then the fields in record order. */
public sealed interface Frame {
    byte LOGIN = 1, LOGIN_OK = 2, LOGIN_FAILED = 3, PING = 4, PONG = 5, SEND = 6, SENT = 7, STATUS = 8,
            INBOUND = 9, ACK = 10, FENCED = 11, SEND_REJECTED = 12, MARK_READ = 13, GROUP = 14, GROUP_STATE = 15;

    byte STATUS_DELIVERED = 1, STATUS_READ = 2, STATUS_FAILED = 3;

    byte type();

    /** {@code deliveryReports}: whether the network sends STATUS_DELIVERED for what is sent on this link. */
    record Login(String number, int shard, int shardCount, long epoch, int window, boolean deliveryReports)
            implements Frame {
        public byte type() { return LOGIN; }
    }

    record LoginOk() implements Frame {
        public byte type() { return LOGIN_OK; }
    }

    record LoginFailed(String reason) implements Frame {
        public byte type() { return LOGIN_FAILED; }
    }

    record Ping(long nanos) implements Frame {
        public byte type() { return PING; }
    }

    record Pong(long nanos) implements Frame {
        public byte type() { return PONG; }
    }

    /** {@code context}: the id of the message this one replies to (WhatsApp's {@code context.message_id}), or "". */
    record Send(long id, String to, String messageType, String payload, String context) implements Frame {
        public Send(long id, String to, String messageType, String payload) {
            this(id, to, messageType, payload, "");
        }

        public byte type() { return SEND; }
    }

    record Sent(long id, String networkMessageId, long atMillis) implements Frame {
        public byte type() { return SENT; }
    }

    record SendRejected(long id, String code, String reason) implements Frame {
        public byte type() { return SEND_REJECTED; }
    }

    /**
     * {@code status} is one of the STATUS_* codes; {@code error} is "" unless failed. {@code group}: for a message
     * sent to a group, the group's id ({@code recipient} is then the member who reports); "" for one-to-one.
     * {@code details}: what WhatsApp tells with a status besides it, as the JSON object of Meta's status webhook
     * ({@code errors}, {@code conversation}, {@code pricing}), or "".
     */
    record Status(long seq, long id, String recipient, byte status, long atMillis, String error, String group,
                  String details) implements Frame {
        public Status(long seq, long id, String recipient, byte status, long atMillis, String error) {
            this(seq, id, recipient, status, atMillis, error, "", "");
        }

        public byte type() { return STATUS; }
    }

    /**
     * A group operation of the logged-in number ({@code op}: a {@code GroupOp} code), answered by a
     * {@link GroupState} with the same {@code requestId}. {@code groupId} is "" to create; {@code subject} and
     * {@code description} are null when not changed; {@code users} are the members or admins the operation names.
     */
    record Group(long requestId, byte op, String groupId, String subject, String description, java.util.List<String> users)
            implements Frame {
        public Group {
            users = java.util.List.copyOf(users);
        }

        public byte type() { return GROUP; }
    }

    /**
     * The network's answer to a {@link Group}: the group as it is now ({@code invite} "" when there is no link), or
     * the {@code error} code ("" on success) and {@code reason} why nothing changed.
     */
    record GroupState(long requestId, String error, String reason, String groupId, String subject, String description,
                      java.util.List<String> members, java.util.List<String> admins, String invite) implements Frame {
        public GroupState {
            members = java.util.List.copyOf(members);
            admins = java.util.List.copyOf(admins);
        }

        public byte type() { return GROUP_STATE; }
    }

    /** {@code context}: the network id of the message the user replied to, or "". */
    record Inbound(long seq, String networkId, String from, String profileName, String messageType, String payload,
                   long atMillis, String context) implements Frame {
        public Inbound(long seq, String networkId, String from, String profileName, String messageType, String payload,
                       long atMillis) {
            this(seq, networkId, from, profileName, messageType, payload, atMillis, "");
        }

        public byte type() { return INBOUND; }
    }

    /**
     * The business read a user's message ({@code networkId}, as INBOUND gave it): the user sees blue ticks, and with
     * {@code typing} the business typing until its reply or 25 s.
     */
    record MarkRead(String networkId, boolean typing) implements Frame {
        public byte type() { return MARK_READ; }
    }

    record Ack(long seq) implements Frame {
        public byte type() { return ACK; }
    }

    record Fenced(String reason) implements Frame {
        public byte type() { return FENCED; }
    }
}

package io.switchboard.network.groups;

/** What a group operation does, with its code on the wire. */
public enum GroupOp {
    CREATE(1), UPDATE(2), ADD_MEMBERS(3), REMOVE_MEMBERS(4), ADD_ADMINS(5), REMOVE_ADMINS(6), CREATE_INVITE(7),
    REVOKE_INVITE(8), LEAVE(9);

    private final byte code;

    GroupOp(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The operation with this code, or null for a code this version does not know. */
    public static GroupOp of(byte code) {
        for (GroupOp op : values()) if (op.code == code) return op;
        return null;
    }
}

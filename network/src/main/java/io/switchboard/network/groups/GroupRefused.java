package io.switchboard.network.groups;

/**
 * The network refused a group operation and changed nothing: {@code code} says why ({@code unknown_group},
 * {@code too_many_members}, {@code not_a_member}, {@code not_connected}...).
 */
public final class GroupRefused extends RuntimeException {
    private final String code;

    public GroupRefused(String code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package io.switchboard.network.groups;

import java.util.regex.Pattern;

/**
 * The limits of a group, which the network enforces and the node checks first to name the field at fault.
 * Members: the guide's on-premises groups hold 256 (the business number, their owner, is not counted). Subject and
 * description: Meta's Groups API allows 128 and 2,048 characters.
 */
public final class GroupLimits {
    public static final int MAX_MEMBERS = 256;
    public static final int MAX_SUBJECT = 128;
    public static final int MAX_DESCRIPTION = 2_048;
    /**
     * A group's id as the network makes it: WhatsApp's {@code <digits>@g.us}, here 14 digits, so that it fits where a
     * phone number does (20 characters).
     */
    private static final Pattern GROUP_ID = Pattern.compile("[0-9]{10,14}@g\\.us");

    private GroupLimits() {}

    public static boolean isGroupId(String id) {
        return id != null && GROUP_ID.matcher(id).matches();
    }
}

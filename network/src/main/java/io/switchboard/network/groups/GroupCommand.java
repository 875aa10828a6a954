package io.switchboard.network.groups;

import java.util.List;

/**
 * A group operation a number asks the network for. {@code groupId} is "" to create; {@code subject} and
 * {@code description} are null when they do not change; {@code users} are the members or admins it names.
 */
public record GroupCommand(GroupOp op, String groupId, String subject, String description, List<String> users) {
    public GroupCommand {
        users = List.copyOf(users);
    }

    public static GroupCommand on(GroupOp op, String groupId, List<String> users) {
        return new GroupCommand(op, groupId, null, null, users);
    }
}

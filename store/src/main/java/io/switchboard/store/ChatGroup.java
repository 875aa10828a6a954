package io.switchboard.store;

import java.util.List;

/**
 * The node's copy of a group a project's number owns, as the network last answered it. {@code invite} is null when
 * the group has no invite link. Times are epoch ms.
 */
public record ChatGroup(String projectId, String id, String number, String subject, String description,
                        List<String> members, List<String> admins, String invite, long createdAt, long updatedAt) {
    public ChatGroup {
        members = List.copyOf(members);
        admins = List.copyOf(admins);
    }
}

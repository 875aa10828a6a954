package io.switchboard.network.groups;

import java.util.List;

/** A group as the network keeps it: its members and admins in the order they joined; {@code invite} "" for none. */
public record GroupInfo(String id, String subject, String description, List<String> members, List<String> admins,
                        String invite) {
    public GroupInfo {
        members = List.copyOf(members);
        admins = List.copyOf(admins);
    }
}

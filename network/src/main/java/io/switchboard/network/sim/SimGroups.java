package io.switchboard.network.sim;

import io.switchboard.network.groups.GroupLimits;
import io.switchboard.network.groups.GroupOp;
import io.switchboard.network.protocol.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The groups of the simulated network, the one place their membership is kept: each owned by the business number
 * that made it, which alone may change it or send to it. An operation is applied whole or refused whole. Thread-safe
 * (one lock; every operation is short).
 */
final class SimGroups {
    private static final Pattern E164 = Pattern.compile("\\+[0-9]{8,15}");
    private static final String INVITE_PREFIX = "https://chat.whatsapp.com/";
    private static final String INVITE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final class Group {
        final String id;
        final String owner;
        String subject;
        String description = "";
        final LinkedHashSet<String> members = new LinkedHashSet<>();
        final LinkedHashSet<String> admins = new LinkedHashSet<>();
        String invite = "";

        Group(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }
    }

    /** An operation refused: nothing changed. */
    private static final class Refused extends Exception {
        final String code;

        Refused(String code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    private final Map<String, Group> groups = new HashMap<>();
    private final Random random;

    SimGroups(long seed) {
        this.random = new Random(seed);
    }

    /** Applies a number's group operation; the answer carries the group as it is now, or why nothing changed. */
    synchronized Frame.GroupState apply(String number, Frame.Group call) {
        try {
            GroupOp op = GroupOp.of(call.op());
            if (op == null) throw new Refused("unknown_operation", "unknown group operation " + call.op());
            for (String user : call.users()) {
                if (!E164.matcher(user).matches()) throw new Refused("invalid_user", "not a phone number: " + user);
            }
            Group group = op == GroupOp.CREATE ? create(number, call) : owned(number, call.groupId());
            change(group, op, call);
            return state(call.requestId(), group);
        } catch (Refused refused) {
            return new Frame.GroupState(call.requestId(), refused.code, refused.getMessage(), call.groupId(), "", "",
                    List.of(), List.of(), "");
        }
    }

    /** The members of a group the number owns, or null when it owns no such group. */
    synchronized List<String> members(String number, String groupId) {
        Group group = groups.get(groupId);
        return group == null || !group.owner.equals(number) ? null : List.copyOf(group.members);
    }

    private Group create(String number, Frame.Group call) throws Refused {
        subject(call.subject());
        String id;
        do {
            id = "120363" + String.format("%08d", random.nextInt(100_000_000)) + "@g.us";
        } while (groups.containsKey(id));
        Group group = new Group(id, number);
        group.subject = call.subject();
        if (call.description() != null) group.description = description(call.description());
        addMembers(group, call.users());
        groups.put(id, group);
        return group;
    }

    private Group owned(String number, String groupId) throws Refused {
        Group group = groups.get(groupId);
        if (group == null || !group.owner.equals(number)) {
            throw new Refused("unknown_group", "no group " + groupId + " of " + number);
        }
        return group;
    }

    private void change(Group group, GroupOp op, Frame.Group call) throws Refused {
        switch (op) {
            case CREATE -> { }
            case UPDATE -> {
                if (call.subject() != null) subject(call.subject());
                String description = call.description() == null ? group.description : description(call.description());
                if (call.subject() != null) group.subject = call.subject();
                group.description = description;
            }
            case ADD_MEMBERS -> addMembers(group, call.users());
            case REMOVE_MEMBERS -> {
                requireMembers(group, call.users());
                call.users().forEach(group.members::remove);
                call.users().forEach(group.admins::remove);
            }
            case ADD_ADMINS -> {
                requireMembers(group, call.users());
                group.admins.addAll(call.users());
            }
            case REMOVE_ADMINS -> {
                for (String user : call.users()) {
                    if (!group.admins.contains(user)) throw new Refused("not_an_admin", user + " is not an admin of the group");
                }
                call.users().forEach(group.admins::remove);
            }
            case CREATE_INVITE -> group.invite = INVITE_PREFIX + inviteCode();
            case REVOKE_INVITE -> group.invite = "";
            case LEAVE -> groups.remove(group.id); // the owner leaving ends the group: nobody is left to run it
        }
    }

    private void addMembers(Group group, List<String> users) throws Refused {
        LinkedHashSet<String> after = new LinkedHashSet<>(group.members);
        after.addAll(users);
        if (after.size() > GroupLimits.MAX_MEMBERS) {
            throw new Refused("too_many_members", "a group holds at most " + GroupLimits.MAX_MEMBERS + " members; it would have "
                    + after.size());
        }
        group.members.addAll(users);
    }

    private static void requireMembers(Group group, List<String> users) throws Refused {
        for (String user : users) {
            if (!group.members.contains(user)) throw new Refused("not_a_member", user + " is not a member of the group");
        }
    }

    private static void subject(String subject) throws Refused {
        if (subject == null || subject.isBlank() || subject.codePointCount(0, subject.length()) > GroupLimits.MAX_SUBJECT) {
            throw new Refused("invalid_subject", "a subject has 1 to " + GroupLimits.MAX_SUBJECT + " characters");
        }
    }

    private static String description(String description) throws Refused {
        if (description.codePointCount(0, description.length()) > GroupLimits.MAX_DESCRIPTION) {
            throw new Refused("invalid_description", "a description has up to " + GroupLimits.MAX_DESCRIPTION + " characters");
        }
        return description;
    }

    private String inviteCode() {
        StringBuilder code = new StringBuilder(22);
        for (int i = 0; i < 22; i++) code.append(INVITE_LETTERS.charAt(random.nextInt(INVITE_LETTERS.length())));
        return code.toString();
    }

    private static Frame.GroupState state(long requestId, Group group) {
        return new Frame.GroupState(requestId, "", "", group.id, group.subject, group.description,
                new ArrayList<>(group.members), new ArrayList<>(group.admins), group.invite);
    }
}

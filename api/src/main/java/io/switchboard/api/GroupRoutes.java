package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.network.groups.GroupCommand;
import io.switchboard.network.groups.GroupInfo;
import io.switchboard.network.groups.GroupLimits;
import io.switchboard.network.groups.GroupOp;
import io.switchboard.network.groups.GroupRefused;
import io.switchboard.store.ChatGroup;
import io.switchboard.store.Groups;
import io.switchboard.store.Project;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A project's WhatsApp groups. Every change goes to the network over the number's connection, which keeps the
 * membership and answers with the group as it is then; that answer is stored as the node's copy, which the GETs
 * read. A group of another project reads as not found.
 */
final class GroupRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRoutes.class);
    /** How long a change waits for the network's answer. */
    private static final long ANSWER_SECONDS = 10;

    private final Engine engine;
    private final Groups groups;
    private final Tenants tenants;
    private final Requests requests;
    private final Clock clock;
    private final ShardOwners owners;

    GroupRoutes(Engine engine, Groups groups, Tenants tenants, Requests requests, Clock clock, Api.Cluster cluster) {
        this.engine = engine;
        this.owners = new ShardOwners(cluster, clock);
        this.groups = groups;
        this.tenants = tenants;
        this.requests = requests;
        this.clock = clock;
    }

    void addTo(Javalin server) {
        server.post("/v1/groups", this::create);
        server.get("/v1/groups", this::list);
        server.get("/v1/groups/{id}", ctx -> requests.send(ctx, 200, json(find(ctx))));
        server.patch("/v1/groups/{id}", this::update);
        server.delete("/v1/groups/{id}", this::leave);
        server.post("/v1/groups/{id}/members", ctx -> changeUsers(ctx, GroupOp.ADD_MEMBERS, "members"));
        server.delete("/v1/groups/{id}/members", ctx -> changeUsers(ctx, GroupOp.REMOVE_MEMBERS, "members"));
        server.post("/v1/groups/{id}/admins", ctx -> changeUsers(ctx, GroupOp.ADD_ADMINS, "admins"));
        server.delete("/v1/groups/{id}/admins", ctx -> changeUsers(ctx, GroupOp.REMOVE_ADMINS, "admins"));
        server.post("/v1/groups/{id}/invite", ctx -> changeInvite(ctx, GroupOp.CREATE_INVITE));
        server.delete("/v1/groups/{id}/invite", ctx -> changeInvite(ctx, GroupOp.REVOKE_INVITE));
    }

    /** {@code {"from","subject","description","members":[...]}} -> 201 with the group and its id. */
    private void create(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.body(ctx);
        Fields.only(body, "", Set.of("from", "subject", "description", "members"));
        String from = Fields.text(body, "from", "", 20);
        boolean owned = engine.line(from).map(line -> line.project().id().equals(project.id())).orElse(false);
        if (!owned) throw ApiError.badRequest("unknown_number", "from " + from + " is not a number of this project", "from");
        String subject = Fields.text(body, "subject", "", GroupLimits.MAX_SUBJECT);
        String description = Fields.optionalText(body, "description", "", GroupLimits.MAX_DESCRIPTION);
        List<String> members = users(body, "members", 0);
        GroupInfo made = ask(ctx, from, new GroupCommand(GroupOp.CREATE, "", subject, description, members), "members");
        long now = clock.millis();
        ChatGroup group = copy(project.id(), from, made, now, now);
        groups.save(group);
        LOG.info("project {}: group {} made on {} with {} members", project.id(), group.id(), from, members.size());
        requests.send(ctx, 201, json(group));
    }

    private void list(Context ctx) {
        Project project = tenants.project(ctx);
        Page page = Page.of(ctx);
        requests.send(ctx, 200, page.answer("groups", groups.page(project.id(), page.after(), page.fetch()),
                GroupRoutes::json, ChatGroup::id));
    }

    /** {@code {"subject","description"}}, either or both. */
    private void update(Context ctx) {
        ChatGroup group = find(ctx);
        JsonNode body = requests.body(ctx);
        Fields.only(body, "", Set.of("subject", "description"));
        String subject = body.hasNonNull("subject") ? Fields.text(body, "subject", "", GroupLimits.MAX_SUBJECT) : null;
        String description = Fields.optionalText(body, "description", "", GroupLimits.MAX_DESCRIPTION);
        if (subject == null && description == null) {
            throw ApiError.badRequest("missing_field", "give subject, description or both", "subject");
        }
        changed(ctx, group, new GroupCommand(GroupOp.UPDATE, group.id(), subject, description, List.of()), "subject");
    }

    /** {@code {"members":[...]}} or {@code {"admins":[...]}}: 1 to 256 users, each named once. */
    private void changeUsers(Context ctx, GroupOp op, String field) {
        ChatGroup group = find(ctx);
        JsonNode body = requests.body(ctx);
        Fields.only(body, "", Set.of(field));
        changed(ctx, group, GroupCommand.on(op, group.id(), users(body, field, 1)), field);
    }

    private void changeInvite(Context ctx, GroupOp op) {
        ChatGroup group = find(ctx);
        changed(ctx, group, GroupCommand.on(op, group.id(), List.of()), null);
    }

    /** The business number leaves the group, which ends it (its owner is gone); 204. */
    private void leave(Context ctx) {
        ChatGroup group = find(ctx);
        ask(ctx, group.number(), GroupCommand.on(GroupOp.LEAVE, group.id(), List.of()), null);
        groups.delete(group.projectId(), group.id());
        LOG.info("project {}: left group {}", group.projectId(), group.id());
        ctx.status(204);
    }

    /** Applies the change at the network and answers 200 with the group as the network now has it. */
    private void changed(Context ctx, ChatGroup group, GroupCommand command, String field) {
        GroupInfo now = ask(ctx, group.number(), command, field);
        ChatGroup updated = copy(group.projectId(), group.number(), now, group.createdAt(), clock.millis());
        groups.save(updated);
        requests.send(ctx, 200, json(updated));
    }

    /** The caller's group named in the path. */
    private ChatGroup find(Context ctx) {
        Project project = tenants.project(ctx);
        String id = ctx.pathParam("id");
        return groups.find(project.id(), id).orElseThrow(() -> ApiError.notFound("group " + id));
    }

    /**
     * The network's answer; a refusal or a silence becomes the API error that says why ({@code field} at fault). In a
     * cluster, a node with no connection for the number passes the whole request on to one that has, whose answer
     * ends the request ({@link ShardOwners.Answered}) before anything is written here.
     */
    private GroupInfo ask(Context ctx, String number, GroupCommand command, String field) {
        try {
            return engine.group(number, command).orTimeout(ANSWER_SECONDS, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof GroupRefused refused && refused.code().equals("not_connected")
                    && owners.answeredByAnyOwner(ctx, tenants.project(ctx), number)) {
                throw new ShardOwners.Answered();
            }
            switch (e.getCause()) {
                case GroupRefused refused -> throw refusal(refused, command, field);
                case TimeoutException timeout -> throw new ApiError(503, "network_timeout", "the network did not answer "
                        + "within " + ANSWER_SECONDS + " s; the group may or may not have changed", null);
                default -> throw e;
            }
        }
    }

    private static ApiError refusal(GroupRefused refused, GroupCommand command, String field) {
        return switch (refused.code()) {
            case "not_connected" -> new ApiError(503, "not_connected", refused.getMessage(), null);
            case "unknown_group" -> ApiError.notFound("group " + command.groupId());
            default -> ApiError.badRequest(refused.code(), refused.getMessage(), field);
        };
    }

    /** The array {@code field} of {@code min} to 256 distinct E.164 numbers. */
    private static List<String> users(JsonNode body, String field, int min) {
        JsonNode list = body.has(field) || min > 0 ? Fields.array(body, field, "", min, GroupLimits.MAX_MEMBERS) : null;
        List<String> users = new ArrayList<>();
        if (list == null) return users;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = Fields.item(field, i);
            JsonNode user = list.get(i);
            if (!user.isTextual() || !MessageRules.isE164(user.asText())) {
                throw ApiError.badRequest("invalid_user", at + " must be an E.164 number such as +15550000001", at);
            }
            if (!seen.add(user.asText())) throw ApiError.badRequest("duplicate", at + " names " + user.asText() + " twice", at);
            users.add(user.asText());
        }
        return users;
    }

    private static ChatGroup copy(String projectId, String number, GroupInfo info, long createdAt, long updatedAt) {
        return new ChatGroup(projectId, info.id(), number, info.subject(), info.description(), info.members(),
                info.admins(), info.invite().isEmpty() ? null : info.invite(), createdAt, updatedAt);
    }

    private static ObjectNode json(ChatGroup group) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", group.id());
        node.put("from", group.number());
        node.put("subject", group.subject());
        node.put("description", group.description());
        ArrayNode members = node.putArray("members");
        group.members().forEach(members::add);
        ArrayNode admins = node.putArray("admins");
        group.admins().forEach(admins::add);
        node.put("invite_link", group.invite());
        node.put("created", Instant.ofEpochMilli(group.createdAt()).toString());
        node.put("updated", Instant.ofEpochMilli(group.updatedAt()).toString());
        return node;
    }
}

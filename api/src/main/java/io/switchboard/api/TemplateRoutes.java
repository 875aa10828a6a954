package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.validation.Fields;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageTemplate;
import io.switchboard.store.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A WABA's message templates, as the Cloud API keeps them ({@code /{version}/{waba_id}/message_templates}, the
 * project id as the WABA id): {@code POST} creates one ({@code name}, {@code language}, {@code category},
 * {@code components} as Meta's creation call takes them, checked by {@link TemplateDefinitions}), answered
 * {@code {"id","status","category"}}; {@code GET} lists them a page at a time ({@code ?name=&status=&limit=&after=},
 * {@code ?fields=}) as {@code {"data":[{name, language, category, status, components, id}],"paging"}};
 * {@code DELETE ?name=} deletes the name in every language, answered {@code {"success":true}}.
 *
 * <p>A project with a number connected to Meta's Cloud API under a business account ({@code upstream.waba_id}) keeps
 * its templates at Meta: the calls are passed on to that account, with the number's token, and Meta's answers come
 * back as Meta gave them. Else this registry is the simulated network's: a template passes Meta's checks here and is
 * approved at once, and a number on the simulated network may then send only approved templates
 * ({@link TemplateRegistry}). A name is unique per language, as at Meta (a second is Meta's code 100, subcode 2388024).
 */
final class TemplateRoutes {
    static final String PATH = "/{version}/{waba_id}/message_templates";
    private static final Set<String> STATUSES = Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED");

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final TemplateRegistry registry;
    private final ObjectMapper json;
    private final MetaRelay meta;

    TemplateRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.registry = parts.directory().templates();
        this.json = parts.json();
        this.meta = new MetaRelay(parts);
    }

    void addTo(Javalin server) {
        server.get(PATH, ctx -> atMetaOr(ctx, this::list));
        server.post(PATH, ctx -> atMetaOr(ctx, this::create));
        server.delete(PATH, ctx -> atMetaOr(ctx, this::delete));
    }

    /** Passes the call on to the project's business account at Meta when it has one, else answers it here. */
    private void atMetaOr(Context ctx, BiConsumer<Context, Project> here) {
        Project project = project(ctx);
        Optional<CloudUpstream> atMeta = parts.upstream().upstreams().ofProject(project.id()).values().stream()
                .filter(upstream -> !upstream.wabaId().isEmpty()).min(Comparator.comparing(CloudUpstream::number));
        if (atMeta.isPresent()) meta.relay(ctx, atMeta.get(), atMeta.get().wabaId(), "/message_templates");
        else here.accept(ctx, project);
    }

    private void create(Context ctx, Project project) {
        JsonNode body = requests.body(ctx);
        TemplateDefinitions.Definition definition = TemplateDefinitions.check(body);
        MessageTemplate template = new MessageTemplate(parts.ids().next(), project.id(), definition.name(),
                definition.language(), definition.category(), MessageTemplate.APPROVED, definition.components().toString(),
                parts.clock().millis());
        if (!registry.store().add(template)) {
            throw new ApiError(400, "template_exists", "the template " + definition.name() + " in "
                    + definition.language() + " exists already; a name is unique per language", "name");
        }
        registry.changed(project.id());
        requests.send(ctx, 200, json.createObjectNode().put("id", Ids.format(template.id()))
                .put("status", template.status()).put("category", template.category()));
    }

    private void list(Context ctx, Project project) {
        Page page = Page.of(ctx);
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status.toUpperCase(Locale.ROOT))) {
            throw ApiError.badRequest("unsupported_value", "status must be one of " + String.join(", ",
                    STATUSES.stream().sorted().toList()), "status");
        }
        long after = page.after() == null ? 0 : Ids.parse(page.after());
        if (after < 0) throw ApiError.badRequest("invalid_cursor", "after must be the cursor of an earlier page", "after");
        List<MessageTemplate> fetched = registry.store().page(project.id(), ctx.queryParam("name"),
                status == null ? null : status.toUpperCase(Locale.ROOT), after, page.fetch());
        List<MessageTemplate> shown = fetched.size() > page.limit() ? fetched.subList(0, page.limit()) : fetched;
        ObjectNode answer = json.createObjectNode();
        ArrayNode data = answer.putArray("data");
        for (MessageTemplate template : shown) data.add(GraphObjectRoutes.fields(ctx, describe(template)));
        GraphObjectRoutes.paging(ctx, answer, page, fetched.size() > page.limit(), shown, t -> Ids.format(t.id()));
        requests.send(ctx, 200, answer);
    }

    private void delete(Context ctx, Project project) {
        String name = ctx.queryParam("name");
        if (name == null || name.isEmpty()) throw Fields.missing("name");
        if (registry.store().delete(project.id(), name) == 0) throw ApiError.notFound("message template " + name);
        registry.changed(project.id());
        requests.send(ctx, 200, json.createObjectNode().put("success", true));
    }

    /** The caller's project, which the path must name as the WABA. */
    private Project project(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        if (!project.id().equals(ctx.pathParam("waba_id"))) {
            throw ApiError.notFound("WhatsApp Business Account " + ctx.pathParam("waba_id") + " (the project's id)");
        }
        return project;
    }

    private ObjectNode describe(MessageTemplate template) {
        ObjectNode object = json.createObjectNode().put("name", template.name()).put("language", template.language())
                .put("category", template.category()).put("status", template.status());
        try {
            object.set("components", json.readTree(template.components()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // stored by create, from a parsed body
        }
        return object.put("id", Ids.format(template.id()));
    }
}

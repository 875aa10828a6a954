package io.switchboard.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.store.Contact;
import io.switchboard.store.Contacts;
import io.switchboard.store.Project;
import java.time.Instant;

/** The contacts a number heard from, for the project that owns the number. */
final class ContactRoutes {
    private final Engine engine;
    private final Contacts contacts;
    private final Tenants tenants;
    private final Requests requests;

    ContactRoutes(Engine engine, Contacts contacts, Tenants tenants, Requests requests) {
        this.engine = engine;
        this.contacts = contacts;
        this.tenants = tenants;
        this.requests = requests;
    }

    void addTo(Javalin server) {
        server.get("/v1/contacts", this::list);
    }

    /** {@code ?number=} one of the caller's numbers; its contacts by user number, a page at a time. */
    private void list(Context ctx) {
        Project project = tenants.project(ctx);
        String number = ctx.queryParam("number");
        if (number == null || number.isBlank()) {
            throw ApiError.badRequest("missing_field", "number is required: the business number whose contacts to list",
                    "number");
        }
        NumberLine line = engine.line(number).filter(l -> l.project().id().equals(project.id()))
                .orElseThrow(() -> ApiError.notFound("number " + number));
        Page page = Page.of(ctx);
        requests.send(ctx, 200, page.answer("contacts", contacts.page(project.id(), number, page.after(), page.fetch()),
                contact -> json(line, contact), Contact::user));
    }

    private static ObjectNode json(NumberLine line, Contact contact) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("user", contact.user());
        if (contact.sealedName() == null) node.putNull("profile_name");
        else node.put("profile_name", line.key().openContactName(contact.number(), contact.user(), contact.sealedName()));
        node.put("last_seen", Instant.ofEpochMilli(contact.lastSeen()).toString());
        return node;
    }
}

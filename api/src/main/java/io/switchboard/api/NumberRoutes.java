package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.LineSnapshot;
import io.switchboard.engine.budget.Kind;
import io.switchboard.engine.validation.MessageRules;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Upstreams;
import io.switchboard.store.Priority;
import io.switchboard.store.Project;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.switchboard.api.Requests.bool;
import static io.switchboard.api.Requests.intField;
import static io.switchboard.api.Requests.requiredText;

/** A project's business numbers: added, listed with their budget and queues, and changed at run time. */
final class NumberRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(NumberRoutes.class);
    private static final Set<Integer> SHARD_COUNTS = Set.of(1, 2, 4, 8, 16, 32);
    private static final int MAX_TPS = 1_000_000;
    /** How long a change of upstream waits for what the number's shards sent to be answered. */
    private static final java.time.Duration RELINK_DRAIN = java.time.Duration.ofSeconds(10);

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final ObjectMapper json;
    /** Serializes number changes, each a read of the current settings and a write of new ones. */
    private final ReentrantLock numberUpdates = new ReentrantLock();
    private final Resharder resharder;

    NumberRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.json = parts.json();
        this.resharder = new Resharder(parts.engine(), parts.numbers(), parts.cluster());
    }

    void addTo(Javalin server) {
        server.post("/v1/numbers", this::createNumber);
        server.get("/v1/numbers", this::listNumbers);
        server.patch("/v1/numbers/{number}", this::updateNumber);
        server.delete("/v1/numbers/{number}", this::deleteNumber);
    }

    private void createNumber(Context ctx) {
        Project project = tenants.project(ctx);
        JsonNode body = requests.body(ctx);
        String number = requiredText(body, "number", 20);
        if (!MessageRules.isE164(number)) {
            throw ApiError.badRequest("invalid_number", "number must be E.164, such as +919800000001", "number");
        }
        int tps = intField(body, "tps", 20, 1, MAX_TPS);
        int shards = body.has("shards") ? shards(body) : 1;
        boolean deliveryReports = !body.has("delivery_reports") || bool(body, "delivery_reports");
        CloudUpstream upstream = body.hasNonNull("upstream")
                ? UpstreamInput.parse(body.get("upstream"), number, project.id(), parts) : null;
        if (upstream != null && upstreams().byPhoneNumberId(upstream.phoneNumberId()).isPresent()) throw phoneNumberIdTaken();
        BusinessNumber created = parts.numbers().create(new BusinessNumber(number, project.id(), tps, shards,
                deliveryReports, parts.vault().newWrappedDataKey(number), parts.clock().millis()))
                .orElseThrow(() -> new ApiError(409, "number_taken", number + " is already registered", "number"));
        // Before the number opens: its shards read where to connect when they start.
        if (upstream != null && !upstreams().put(upstream)) throw phoneNumberIdTaken();
        parts.engine().open(created, project);
        LOG.info("project {}: number {} added (tps {}, shards {}, {})", project.id(), number, tps, shards,
                upstream == null ? "on the network" : "on Meta's Cloud API");
        requests.send(ctx, 201, numberJson(created, upstream));
    }

    private Upstreams upstreams() {
        return parts.upstream().upstreams();
    }

    private static ApiError phoneNumberIdTaken() {
        return new ApiError(409, "phone_number_id_taken", "another number is connected to this phone_number_id",
                "upstream.phone_number_id");
    }

    private static int shards(JsonNode body) {
        int shards = intField(body, "shards", 1, 1, 32);
        if (!SHARD_COUNTS.contains(shards)) {
            throw ApiError.badRequest("invalid_shards", "shards must be 1, 2, 4, 8, 16 or 32", "shards");
        }
        return shards;
    }

    /**
     * Changes one of the caller's numbers: its TPS budget and whether it wants delivery reports, both at once on the
     * running shards, and its shard count (a re-shard: see {@link Resharder}), and its upstream (Meta's Cloud API, or
     * null for the network: the number's shards stop once what they sent is answered, and start again on the new
     * link). Everything is checked before anything changes. One change at a time, so two requests that each change one field cannot undo each other.
     */
    private void updateNumber(Context ctx) throws InterruptedException {
        Project project = tenants.project(ctx);
        String number = ctx.pathParam("number");
        if (parts.engine().line(number).filter(line -> line.project().id().equals(project.id())).isEmpty()) {
            throw ApiError.notFound("number " + number);
        }
        JsonNode body = requests.body(ctx);
        numberUpdates.lock();
        try {
            BusinessNumber current = parts.engine().line(number).orElseThrow().number();
            int tps = body.has("tps") ? intField(body, "tps", current.tps(), 1, MAX_TPS) : current.tps();
            boolean deliveryReports = body.has("delivery_reports") ? bool(body, "delivery_reports") : current.deliveryReports();
            int shards = body.has("shards") ? shards(body) : current.shards();
            boolean relink = body.has("upstream");
            CloudUpstream upstream = relink && !body.get("upstream").isNull()
                    ? UpstreamInput.parse(body.get("upstream"), number, project.id(), parts) : null;
            if (upstream != null && upstreams().byPhoneNumberId(upstream.phoneNumberId())
                    .filter(other -> !other.number().equals(number)).isPresent()) {
                throw phoneNumberIdTaken();
            }
            if (shards != current.shards()) current = resharder.reshard(current, shards);
            BusinessNumber updated = new BusinessNumber(number, current.projectId(), tps, current.shards(),
                    deliveryReports, current.wrappedDataKey(), current.createdAt());
            if (!parts.numbers().update(updated)) throw ApiError.notFound("number " + number);
            parts.engine().update(updated);
            if (relink) relink(updated, upstream);
            LOG.info("project {}: number {} updated (tps {}, shards {}, delivery reports {})", project.id(), number,
                    updated.tps(), updated.shards(), updated.deliveryReports() ? "on" : "off");
            requests.send(ctx, 200, numberJson(updated, relink ? upstream : upstreams().find(number).orElse(null)));
        } finally {
            numberUpdates.unlock();
        }
    }

    /**
     * Deletes one of the caller's numbers: gone from the store's lists at once (for every node), its shards stopped
     * here and released in a cluster, its queued messages cancelled (with their events), its data left to the
     * retention sweeper. 404 for a number the caller does not have.
     */
    private void deleteNumber(Context ctx) throws InterruptedException {
        Project project = tenants.project(ctx);
        String number = ctx.pathParam("number");
        numberUpdates.lock();
        try {
            if (!parts.management().tombstones().deleteNumber(project.id(), number, parts.clock().millis())) {
                throw ApiError.notFound("number " + number);
            }
            removed(parts, project, number);
        } finally {
            numberUpdates.unlock();
        }
        LOG.info("project {}: number {} deleted", project.id(), number);
        ctx.status(204);
    }

    /**
     * What follows a number's deletion in the store, on this node: its shards stop once the network answered what
     * they sent, and what the store still has queued for it is cancelled.
     */
    static void removed(Api.Parts parts, Project project, String number) throws InterruptedException {
        parts.engine().remove(number, RELINK_DRAIN);
        int cancelled = parts.engine().cancelQueued(number, project);
        if (cancelled > 0) LOG.info("number {}: {} queued message(s) cancelled", number, cancelled);
    }

    /** Connects the number to {@code upstream} (null: the network) and starts its shards again on the new link. */
    private void relink(BusinessNumber number, CloudUpstream upstream) throws InterruptedException {
        if (upstream == null) upstreams().remove(number.number());
        else if (!upstreams().put(upstream)) throw phoneNumberIdTaken();
        parts.engine().stopNumber(number.number(), RELINK_DRAIN);
        parts.engine().restart(number);
        LOG.info("number {}: now {}", number.number(), upstream == null ? "on the network" : "on Meta's Cloud API");
    }

    /** The caller's numbers a page at a time, each with its budget used and its queues when it runs on this node. */
    private void listNumbers(Context ctx) {
        Project project = tenants.project(ctx);
        Page page = Page.of(ctx);
        Map<String, LineSnapshot> running = new HashMap<>();
        for (LineSnapshot line : parts.engine().snapshot()) running.put(line.number(), line);
        Map<String, CloudUpstream> connected = upstreams().ofProject(project.id());
        requests.send(ctx, 200, page.answer("numbers", parts.numbers().page(project.id(), page.after(), page.fetch()),
                number -> withLine(numberJson(number, connected.get(number.number())), running.get(number.number())),
                BusinessNumber::number));
    }

    private static ObjectNode withLine(ObjectNode item, LineSnapshot line) {
        if (line == null) return item;
        item.put("connected_shards", line.connectedShards());
        ObjectNode used = item.putObject("budget_used");
        for (Kind kind : Kind.values()) used.put(kind.label(), line.used()[kind.ordinal()]);
        ObjectNode queue = item.putObject("queue");
        for (Priority priority : Priority.values()) queue.put(priority.label(), line.depths()[priority.rank()]);
        return item;
    }

    private ObjectNode numberJson(BusinessNumber number, CloudUpstream upstream) {
        ObjectNode node = json.createObjectNode();
        node.put("number", number.number());
        node.put("tps", number.tps());
        node.put("shards", number.shards());
        node.put("delivery_reports", number.deliveryReports());
        if (upstream != null) UpstreamInput.show(node, upstream);
        return node;
    }
}

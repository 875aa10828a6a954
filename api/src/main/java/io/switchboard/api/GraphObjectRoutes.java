package io.switchboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.store.BusinessNumber;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Ids;
import io.switchboard.store.MediaFile;
import io.switchboard.store.Project;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Cloud API's objects besides messages, as client libraries call them, with Meta's request and answer shapes:
 * media ({@code POST /{version}/{phone_number_id}/media}, multipart as Meta takes it, answered {@code {"id"}};
 * {@code GET /{version}/{media_id}} answered {@code {"messaging_product","url","mime_type","sha256","file_size","id"}},
 * the URL downloading with the project's token as Meta's does; {@code DELETE} answered {@code {"success":true}}),
 * the phone number ({@code GET /{version}/{phone_number_id}}), its settings, and the project's numbers as a WABA's
 * ({@code GET /{version}/{waba_id}/phone_numbers}, the project id as the WABA id).
 *
 * <p>Media lives on the node for every number. The number and its settings of a number connected to Meta's Cloud API
 * are Meta's ({@link MetaRelay}); a number on the simulated network is answered from the store. Whatever is not the
 * caller's (another project's media or number) is an object that does not exist, as on the Graph: code 100, subcode
 * 33.
 */
final class GraphObjectRoutes {
    static final String OBJECT = "/{version}/{object_id}";
    static final String MEDIA = "/{version}/{phone_number_id}/media";
    static final String SETTINGS = "/{version}/{phone_number_id}/settings";
    static final String PHONE_NUMBERS = "/{version}/{waba_id}/phone_numbers";
    private static final Pattern UPLOAD = Pattern.compile("/v[0-9]{1,3}\\.[0-9]{1,2}/[^/]+/media/?");
    /** Meta's throughput levels: STANDARD is its default of 80 messages a second, HIGH up to 1,000. */
    private static final int STANDARD_THROUGHPUT = 80;

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final MediaRoutes media;
    private final MetaRelay meta;
    private final ObjectMapper json;

    GraphObjectRoutes(Api.Parts parts, Tenants tenants, Requests requests, MediaRoutes media) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.media = media;
        this.meta = new MetaRelay(parts);
        this.json = parts.json();
    }

    void addTo(Javalin server) {
        server.post(MEDIA, this::upload);
        server.get(OBJECT, this::getObject);
        server.delete(OBJECT, this::deleteMedia);
        server.get(SETTINGS, this::settings);
        server.get(PHONE_NUMBERS, this::phoneNumbers);
    }

    /** Whether a request path is a Graph media upload, which may be as large as the largest media. */
    static boolean isUpload(String path) {
        return UPLOAD.matcher(path).matches();
    }

    /**
     * Multipart: {@code messaging_product=whatsapp} (in the form, or in the query as some client libraries send it),
     * {@code file} and optionally {@code type} (its MIME type).
     */
    private void upload(Context ctx) throws IOException {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        String number = CloudRoutes.number(parts, project, ctx.pathParam("phone_number_id"));
        MediaFile file = media.take(ctx, project, () -> {
            String product = ctx.formParam("messaging_product");
            if (!"whatsapp".equals(product == null ? ctx.queryParam("messaging_product") : product)) {
                throw ApiError.badRequest("missing_field", "messaging_product must be whatsapp", "messaging_product");
            }
            return number;
        }, new MediaLibrary.Names("phone_number_id", "type", "file"));
        requests.send(ctx, 200, json.createObjectNode().put("id", Ids.format(file.id())));
    }

    /** A phone number of the caller's (its digits, or Meta's id of a number on Meta), else a media of the caller's. */
    private void getObject(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        String id = ctx.pathParam("object_id");
        Optional<String> number = CloudRoutes.ownNumber(parts, project, id);
        if (number.isPresent()) {
            Optional<CloudUpstream> upstream = meta.upstream(number.get());
            if (upstream.isPresent()) meta.relay(ctx, upstream.get(), "");
            else requests.send(ctx, 200, fields(ctx, localNumber(project, number.get())));
            return;
        }
        MediaFile file = mediaOf(ctx, project, id);
        ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp")
                .put("url", parts.media().urls().tokenUrl(file.id())).put("mime_type", file.mimeType())
                .put("sha256", file.sha256()).put("file_size", String.valueOf(file.size())).put("id", id);
        requests.send(ctx, 200, answer);
    }

    private void deleteMedia(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        MediaFile file = mediaOf(ctx, project, ctx.pathParam("object_id"));
        if (!parts.media().delete(project.id(), Ids.format(file.id()))) throw noObject(ctx);
        requests.send(ctx, 200, json.createObjectNode().put("success", true));
    }

    /**
     * The caller's media of this id, and of the number {@code ?phone_number_id=} names when given (as Meta checks);
     * else an object that does not exist.
     */
    private MediaFile mediaOf(Context ctx, Project project, String id) {
        MediaFile file = parts.media().find(project.id(), id).orElseThrow(() -> noObject(ctx));
        String phoneNumberId = ctx.queryParam("phone_number_id");
        if (phoneNumberId != null && !CloudRoutes.ownNumber(parts, project, phoneNumberId)
                .filter(file.number()::equals).isPresent()) {
            throw noObject(ctx);
        }
        return file;
    }

    private static ApiError noObject(Context ctx) {
        return ApiError.notFound("object " + ctx.pathParam("object_id") + " (not a media or phone number of this project)");
    }

    /** Meta's calling is the only setting a number has here; the node carries no calls. */
    private void settings(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        String number = CloudRoutes.number(parts, project, ctx.pathParam("phone_number_id"));
        Optional<CloudUpstream> upstream = meta.upstream(number);
        if (upstream.isPresent()) {
            meta.relay(ctx, upstream.get(), "/settings");
            return;
        }
        ObjectNode answer = json.createObjectNode();
        answer.putObject("calling").put("status", "DISABLED");
        requests.send(ctx, 200, answer);
    }

    /**
     * The project's numbers a page at a time ({@code ?limit=&after=}), each as {@code GET /{version}/{phone_number_id}}
     * answers it, with the node's {@code id} (a number on Meta: Meta's answer for it, under the node's id).
     */
    private void phoneNumbers(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        if (!project.id().equals(ctx.pathParam("waba_id"))) {
            throw ApiError.notFound("WhatsApp Business Account " + ctx.pathParam("waba_id") + " (the project's id)");
        }
        Page page = Page.of(ctx);
        List<BusinessNumber> fetched = parts.numbers().page(project.id(), page.after(), page.fetch());
        List<BusinessNumber> shown = fetched.size() > page.limit() ? fetched.subList(0, page.limit()) : fetched;
        Map<String, CloudUpstream> connected = parts.upstream().upstreams().ofProject(project.id());
        ObjectNode answer = json.createObjectNode();
        ArrayNode data = answer.putArray("data");
        for (BusinessNumber number : shown) {
            CloudUpstream upstream = connected.get(number.number());
            ObjectNode item = upstream == null ? localNumber(project, number.number())
                    : meta.number(upstream, "").map(object -> ((ObjectNode) object).put("id", number.number().substring(1)))
                    .orElseGet(() -> localNumber(project, number.number()));
            data.add(fields(ctx, item));
        }
        paging(ctx, answer, page, fetched.size() > page.limit(), shown, BusinessNumber::number);
        requests.send(ctx, 200, answer);
    }

    /**
     * The Graph's {@code paging} of a list's page: the cursors of its first and last items, and the URL of the next
     * page when {@code more} follow. None for an empty page.
     */
    static <T> void paging(Context ctx, ObjectNode answer, Page page, boolean more, List<T> shown, Function<T, String> cursor) {
        if (shown.isEmpty()) return;
        ObjectNode paging = answer.putObject("paging");
        paging.putObject("cursors").put("before", cursor.apply(shown.getFirst())).put("after", cursor.apply(shown.getLast()));
        if (more) {
            paging.put("next", ctx.url() + "?limit=" + page.limit() + "&after="
                    + URLEncoder.encode(cursor.apply(shown.getLast()), StandardCharsets.UTF_8));
        }
    }

    /** A number on the simulated network as Meta describes a phone number; its verified name is the project's. */
    private ObjectNode localNumber(Project project, String number) {
        int tps = parts.engine().line(number).map(line -> line.number().tps()).orElse(0);
        ObjectNode object = json.createObjectNode().put("verified_name", project.name())
                .put("display_phone_number", number).put("quality_rating", "GREEN")
                .put("code_verification_status", "VERIFIED").put("platform_type", "CLOUD_API");
        object.putObject("throughput").put("level", tps > STANDARD_THROUGHPUT ? "HIGH" : "STANDARD");
        return object.put("id", number.substring(1));
    }

    /** The object with only the fields {@code ?fields=} names (and its id), as the Graph answers; all without it. */
    static ObjectNode fields(Context ctx, ObjectNode object) {
        String fields = ctx.queryParam("fields");
        if (fields == null || fields.isBlank()) return object;
        Set<String> wanted = new HashSet<>(Arrays.stream(fields.split(",")).map(String::trim).toList());
        wanted.add("id");
        object.retain(wanted);
        return object;
    }
}

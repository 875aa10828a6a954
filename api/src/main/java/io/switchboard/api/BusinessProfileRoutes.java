package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.validation.Fields;
import io.switchboard.store.BusinessProfile;
import io.switchboard.store.BusinessProfiles;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.Ids;
import io.switchboard.store.MediaFile;
import io.switchboard.store.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A number's business profile, as the Cloud API reads and updates it: {@code GET
 * /{version}/{phone_number_id}/whatsapp_business_profile[?fields=...]} answers {@code {"data":[{about, address,
 * description, email, profile_picture_url, websites, vertical, messaging_product}]}} (the fields set), and
 * {@code POST} the same path with the fields to change (and {@code messaging_product}) answers
 * {@code {"success":true}}. Meta's limits: about 1 to 139 characters, address 256, description 512, email 128,
 * up to two websites of 256 starting with http:// or https://, a vertical of Meta's list; an empty text clears a
 * field. {@code profile_picture_handle} is the id of an image uploaded to the node, whose token URL becomes the
 * {@code profile_picture_url}. A number connected to Meta's Cloud API keeps its profile at Meta: both are passed on.
 */
final class BusinessProfileRoutes {
    static final String PATH = "/{version}/{phone_number_id}/whatsapp_business_profile";
    private static final String EDGE = "/whatsapp_business_profile";
    private static final Set<String> FIELDS = Set.of("messaging_product", "about", "address", "description", "email",
            "websites", "vertical", "profile_picture_handle");
    private static final Set<String> VERTICALS = Set.of("UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU",
            "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY", "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES",
            "RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ", "ALCOHOL", "ONLINE_GAMBLING", "PHYSICAL_GAMBLING",
            "OTC_DRUGS", "MATRIMONY_SERVICE");
    private static final int MAX_WEBSITES = 2;
    private static final int MAX_WEBSITE = 256;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final Api.Parts parts;
    private final Tenants tenants;
    private final Requests requests;
    private final BusinessProfiles profiles;
    private final MetaRelay meta;
    private final ObjectMapper json;

    BusinessProfileRoutes(Api.Parts parts, Tenants tenants, Requests requests) {
        this.parts = parts;
        this.tenants = tenants;
        this.requests = requests;
        this.profiles = parts.directory().profiles();
        this.meta = new MetaRelay(parts);
        this.json = parts.json();
    }

    void addTo(Javalin server) {
        server.get(PATH, this::read);
        server.post(PATH, this::update);
    }

    private void read(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        String number = CloudRoutes.number(parts, project, ctx.pathParam("phone_number_id"));
        Optional<CloudUpstream> upstream = meta.upstream(number);
        if (upstream.isPresent()) {
            meta.relay(ctx, upstream.get(), EDGE);
            return;
        }
        BusinessProfile profile = profiles.find(project.id(), number);
        ObjectNode shown = json.createObjectNode();
        putSet(shown, "about", profile.about());
        putSet(shown, "address", profile.address());
        putSet(shown, "description", profile.description());
        putSet(shown, "email", profile.email());
        if (profile.pictureMediaId() != 0 && parts.media().find(project.id(), Ids.format(profile.pictureMediaId())).isPresent()) {
            shown.put("profile_picture_url", parts.media().urls().tokenUrl(profile.pictureMediaId()));
        }
        if (!profile.websites().isEmpty()) profile.websites().forEach(shown.putArray("websites")::add);
        putSet(shown, "vertical", profile.vertical());
        GraphObjectRoutes.fields(ctx, shown).remove("id");
        shown.put("messaging_product", "whatsapp");
        ObjectNode answer = json.createObjectNode();
        answer.putArray("data").add(shown);
        requests.send(ctx, 200, answer);
    }

    private static void putSet(ObjectNode object, String field, String value) {
        if (!value.isEmpty()) object.put(field, value);
    }

    /** Changes the fields given, checked all before any is kept; the others stay as they were. */
    private void update(Context ctx) {
        CloudRoutes.requireVersion(ctx);
        Project project = tenants.project(ctx);
        String number = CloudRoutes.number(parts, project, ctx.pathParam("phone_number_id"));
        Optional<CloudUpstream> upstream = meta.upstream(number);
        if (upstream.isPresent()) {
            meta.relay(ctx, upstream.get(), EDGE);
            return;
        }
        JsonNode body = requests.body(ctx);
        Fields.only(body, "", FIELDS);
        Fields.oneOf(body, "messaging_product", "", Set.of("whatsapp"));
        BusinessProfile current = profiles.find(project.id(), number);
        String about = body.has("about") ? Fields.text(body, "about", "", 139) : current.about();
        String address = text(body, "address", 256, current.address());
        String description = text(body, "description", 512, current.description());
        String email = text(body, "email", 128, current.email());
        if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
            throw ApiError.badRequest("invalid_email", "email must be an address such as sales@example.com", "email");
        }
        List<String> websites = body.has("websites") ? websites(body) : current.websites();
        String vertical = text(body, "vertical", 32, current.vertical());
        if (!vertical.isEmpty() && !VERTICALS.contains(vertical)) {
            throw ApiError.badRequest("unsupported_value", "vertical is '" + vertical + "'; it must be one of "
                    + String.join(", ", VERTICALS.stream().sorted().toList()), "vertical");
        }
        long picture = body.has("profile_picture_handle") ? picture(project, number, body) : current.pictureMediaId();
        profiles.put(new BusinessProfile(number, project.id(), about, address, description, email, websites, vertical,
                picture, parts.clock().millis()));
        requests.send(ctx, 200, json.createObjectNode().put("success", true));
    }

    /** An optional text of at most {@code max} characters; {@code current} when absent, "" clears it. */
    private static String text(JsonNode body, String field, int max, String current) {
        String text = Fields.optionalText(body, field, "", max);
        return text == null ? current : text.trim();
    }

    private static List<String> websites(JsonNode body) {
        JsonNode list = Fields.optionalArray(body, "websites", "", MAX_WEBSITES);
        List<String> websites = new ArrayList<>();
        if (list == null) return websites;
        for (int i = 0; i < list.size(); i++) {
            String field = Fields.item("websites", i);
            JsonNode item = list.get(i);
            String url = item.isTextual() ? item.asText().trim() : "";
            if (!(url.startsWith("http://") || url.startsWith("https://")) || Fields.length(url) > MAX_WEBSITE
                    || url.contains("\n")) {
                throw ApiError.badRequest("invalid_website", field + " must be a URL starting with http:// or https://,"
                        + " at most " + MAX_WEBSITE + " characters", field);
            }
            websites.add(url);
        }
        return websites;
    }

    /** The uploaded image of this number that {@code profile_picture_handle} names; "" removes the picture. */
    private long picture(Project project, String number, JsonNode body) {
        String handle = Fields.optionalText(body, "profile_picture_handle", "", 64);
        if (handle == null || handle.isEmpty()) return 0;
        MediaFile file = parts.media().find(project.id(), handle).filter(media -> media.number().equals(number))
                .filter(media -> MediaTypes.messageTypeOf(media.mimeType()).orElse("").equals("image"))
                .orElseThrow(() -> ApiError.badRequest("unknown_media", "profile_picture_handle must be the id of an"
                        + " image uploaded for this number", "profile_picture_handle"));
        return file.id();
    }
}

package io.switchboard.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.engine.media.MediaUrls;
import io.switchboard.store.Ids;
import io.switchboard.store.MediaFile;
import io.switchboard.store.Project;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Media, as the Cloud API uploads it: {@code POST /v1/media} (multipart: {@code file}, the {@code number} it is for,
 * and {@code type} or the part's own Content-Type) answers its id; {@code GET /v1/media/{id}} gives the bytes back
 * with their type, to the owning project only; {@code DELETE} forgets them. Another project's media reads as
 * missing.
 */
final class MediaRoutes {
    private final MediaLibrary library;
    private final Tenants tenants;
    private final Requests requests;

    MediaRoutes(MediaLibrary library, Tenants tenants, Requests requests) {
        this.library = library;
        this.tenants = tenants;
        this.requests = requests;
    }

    void addTo(Javalin server) {
        server.post("/v1/media", this::upload);
        server.get("/v1/media/{id}", this::download);
        server.delete("/v1/media/{id}", this::delete);
    }

    private void upload(Context ctx) throws IOException {
        Project project = tenants.project(ctx);
        MediaFile stored = take(ctx, project, () -> {
            String number = ctx.formParam("number");
            if (number == null || number.isBlank()) {
                throw ApiError.badRequest("missing_field", "number is required: the business number the media is for",
                        "number");
            }
            return number.trim();
        }, new MediaLibrary.Names("number", "type", "file"));
        requests.send(ctx, 201, requests.json().createObjectNode().put("id", Ids.format(stored.id())));
    }

    /**
     * Stores the request's multipart upload (its {@code file} part, of the form's {@code type} or else the part's own
     * Content-Type) for the business number {@code number} names, asked once the file part is known to be there.
     */
    MediaFile take(Context ctx, Project project, Supplier<String> number, MediaLibrary.Names names) throws IOException {
        if (!ctx.isMultipartFormData()) {
            throw ApiError.badRequest("not_multipart", "the upload must be multipart/form-data with a file part", "file");
        }
        UploadedFile file = filePart(ctx);
        if (file == null) throw ApiError.badRequest("missing_field", "file is required: the media's bytes", "file");
        String forNumber = number.get();
        String type = ctx.formParam("type");
        String mimeType = type == null || type.isBlank() ? file.contentType() : type;
        if (mimeType == null || mimeType.isBlank()) {
            throw ApiError.badRequest("missing_field", "type is required (or a Content-Type on the file part)", "type");
        }
        MediaLibrary.Intake intake = new MediaLibrary.Intake(project.id(), forNumber, mimeType, file.filename(), names);
        try (InputStream content = file.content()) {
            return library.upload(intake, content);
        }
    }

    /**
     * The form's file part; a part past Jetty's own cap (the whole upload's limit) is a 413 like any large body, and a
     * form Jetty cannot parse (cut short, without its boundary) is bad input.
     */
    private static UploadedFile filePart(Context ctx) {
        try {
            return ctx.uploadedFile("file");
        } catch (IllegalStateException e) { // "Multipart Mime part file exceeds max filesize"
            throw ApiError.tooLarge(Api.MAX_UPLOAD_BYTES);
        } catch (ApiError e) {
            throw e;
        } catch (Exception e) { // Jetty's IOException, undeclared through Javalin: "Incomplete Multipart" and the like
            if (e.getCause() instanceof ApiError error) throw error; // the body limit, hit while Jetty read the form
            throw ApiError.badRequest("invalid_multipart", "the upload is not a whole multipart/form-data body: "
                    + e.getMessage(), "file");
        }
    }

    private void download(Context ctx) throws IOException {
        MediaFile file = find(ctx);
        ctx.status(200).contentType(file.mimeType()).header("Content-Length", String.valueOf(file.size()))
                .header("X-Content-SHA256", file.sha256());
        OutputStream out = ctx.outputStream();
        library.copy(file, out);
        out.flush();
    }

    private void delete(Context ctx) {
        Project project = tenants.project(ctx);
        if (!library.delete(project.id(), ctx.pathParam("id"))) throw ApiError.notFound("media " + ctx.pathParam("id"));
        ctx.status(204);
    }

    /** The caller's file, or any project's by a valid signed URL; 403 for a URL tampered with or expired. */
    private MediaFile find(Context ctx) {
        if (Access.signedMediaUrl(ctx)) {
            String id = ctx.pathParam("id");
            MediaUrls.Check check = library.urls().check(id, ctx.queryParam("expires"), ctx.queryParam("signature"));
            if (check != MediaUrls.Check.VALID) {
                throw new ApiError(403, check == MediaUrls.Check.EXPIRED ? "url_expired" : "invalid_signature",
                        check == MediaUrls.Check.EXPIRED ? "this media URL has expired; fetch the media with a token"
                                : "this media URL's signature does not match", "signature");
            }
            return library.findSigned(id, ctx.queryParam("expires"), ctx.queryParam("signature"))
                    .orElseThrow(() -> ApiError.notFound("media " + id));
        }
        Project project = tenants.project(ctx);
        return library.find(project.id(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiError.notFound("media " + ctx.pathParam("id")));
    }
}

package io.switchboard.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the node's own pages (the dashboard, the API docs) share: their security headers, and their files, read from
 * the classpath: ours, and the libraries' from their WebJars, so a page needs no CDN and works without internet.
 */
final class WebPages {
    /** Scripts only from the node and never inline; inline styles, which the chart and docs libraries set. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private WebPages() {}

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /** A script or style sheet; a library's ({@code library}: true) is kept a day by the browser, ours revalidated. */
    static void asset(Context ctx, String path, boolean library) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", library ? "public, max-age=86400" : "no-cache");
        ctx.status(200).contentType(path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8")
                .result(resource(path));
    }

    static byte[] resource(String path) {
        try (InputStream in = WebPages.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a WebJar keeps {@code file}, by the version its Maven metadata names. */
    static String webJar(String groupId, String artifactId, String file) {
        Properties pom = new Properties();
        try (InputStream in = WebPages.class.getResourceAsStream("/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
            if (in == null) throw new IllegalStateException("the " + artifactId + " WebJar is not on the classpath");
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/" + artifactId + "/" + pom.getProperty("version") + "/" + file;
    }
}

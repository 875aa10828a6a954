package io.switchboard.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's routes as {@code "METHOD /path"} keys with every path parameter written {@code {}}, from the two places
 * that name them: Javalin's router in the running node, and the OpenAPI document it serves. Tests compare them, and
 * walk every route so that a route added later cannot be left out.
 */
public final class Routes {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private Routes() {}

    public static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}/]*}|<[^>/]*>", "{}");
    }

    /** What the running node registered. */
    public static Set<String> registered(Node node) {
        Set<String> keys = new TreeSet<>();
        node.routes().forEach(route -> keys.add(key(route.method(), route.path())));
        return keys;
    }

    /** What the OpenAPI document lists under {@code paths}. */
    public static Set<String> documented(JsonNode openApi) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> paths = openApi.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            openApi.path("paths").path(path).fieldNames().forEachRemaining(field -> {
                if (METHODS.contains(field)) keys.add(key(field, path));
            });
        }
        return keys;
    }
}

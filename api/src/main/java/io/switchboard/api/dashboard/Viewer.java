package io.switchboard.api.dashboard;

import java.util.function.Predicate;

/** Who looks at the dashboard: the admin sees every project; a project's token sees only its own numbers. */
public record Viewer(String scope, String projectId, String name) {
    public static Viewer admin() {
        return new Viewer("admin", "", "admin");
    }

    public static Viewer project(String projectId, String name) {
        return new Viewer("project", projectId, name);
    }

    public boolean isAdmin() {
        return scope.equals("admin");
    }

    /** Whether this viewer may see a project's figures. */
    public Predicate<String> sees() {
        return isAdmin() ? project -> true : projectId::equals;
    }
}

package io.switchboard.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark run measured: the figures (printed as they come, one a line) and, with {@code --json}, a report
 * with the machine, the versions and the settings beside them.
 */
public final class Report {
    private final String scenario;
    private final PrintStream out;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();

    public Report(String scenario, PrintStream out) {
        this.scenario = scenario;
        this.out = out;
    }

    public void setting(String name, Object value) {
        settings.put(name, value);
    }

    public void add(String name, double value, String unit) {
        Figure figure = new Figure(name, value, unit);
        figures.add(figure);
        out.println(figure.line());
    }

    /** The value of the figure of that name; fails when there is none. */
    public double value(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).reduce((first, last) -> last)
                .orElseThrow(() -> new IllegalArgumentException("no figure " + name + " in " + figures)).value();
    }

    /** A line that is not a figure (a sample along the way), printed as a comment: {@code # ...}. */
    public void note(String line) {
        out.println("# " + line);
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public void writeJson(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("scenario", scenario);
        root.put("finished", Instant.now().toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_bytes", ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        ObjectNode versions = root.putObject("versions");
        versions.put("java", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        String ours = Report.class.getPackage().getImplementationVersion();
        versions.put("switchboard", ours == null ? "development" : ours);
        root.set("settings", json.valueToTree(settings));
        var list = root.putArray("figures");
        for (Figure figure : figures) list.addObject().put("name", figure.name()).put("value", figure.value()).put("unit", figure.unit());
        Files.writeString(file, json.writeValueAsString(root));
    }
}

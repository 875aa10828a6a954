package io.switchboard.jmh;

import java.util.List;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one module's JMH benchmarks: {@link Main} with the same options, except that a filter matching none of the
 * module's benchmarks is not an error, so one filter works across the modules of a run. The parent pom's profile
 * {@code jmh} compiles this one file into each module's benchmarks and runs it:
 * {@code ./mvnw -q -B -P jmh -pl network,store,engine -am verify -DskipTests [-Djmh.args=OutboxBenchmark]}
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("JMH options: " + e.getMessage());
            System.exit(1);
            return;
        }
        List<String> includes = options.getIncludes();
        boolean runs = !options.shouldHelp() && !options.shouldList() && !options.shouldListWithParams()
                && !options.shouldListProfilers() && !options.shouldListResultFormats();
        if (runs && !includes.isEmpty() && BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), includes,
                        options.getExcludes())
                .isEmpty()) {
            System.out.println("# JMH: no benchmark of this module matches " + includes + "; nothing to run here");
            return;
        }
        Main.main(args);
    }
}

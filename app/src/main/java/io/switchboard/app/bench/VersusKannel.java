package io.switchboard.app.bench;

import java.util.List;
import java.util.concurrent.Callable;

/** Runs Kannel under the same load right after a scenario, and puts its figures and the ratio beside ours. */
final class VersusKannel {
    private VersusKannel() {}

    static void compare(Report report, Callable<List<Figure>> kannelRun, String kannelFigure, double ours, String ratio)
            throws Exception {
        if (!io.switchboard.app.bench.kannel.KannelBench.installed()) {
            System.err.println("Kannel is not installed (apt-get install kannel kannel-extras): no comparison.");
            return;
        }
        double kannel = 0;
        for (Figure figure : kannelRun.call()) {
            report.add(figure.name(), figure.value(), figure.unit());
            if (figure.name().equals(kannelFigure)) kannel = figure.value();
        }
        if (kannel > 0) report.add(ratio, ours / kannel, "x");
    }
}

package io.switchboard.app.bench;

import java.util.Locale;

/** One measured figure, printed as {@code name value unit} on a line of its own. */
public record Figure(String name, double value, String unit) {

    public String line() {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value);
        return name + " " + number + " " + unit;
    }
}

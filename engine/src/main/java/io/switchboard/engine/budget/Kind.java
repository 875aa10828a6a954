package io.switchboard.engine.budget;

/** The four kinds of interaction that share a number's TPS budget, as the guide counts them. */
public enum Kind {
    SEND("send"), RECEIVE("receive"), DELIVERY_REPORT("delivery_report"), READ_REPORT("read_report");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

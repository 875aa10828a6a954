package io.switchboard.dispatcher;

/**
 * What an endpoint answered: its status (0 when it could not be reached or did not answer in time), its body,
 * how long it asked us to wait (Retry-After, in ms; 0 if it did not), and a short description for logs and dead
 * letters.
 */
record Answer(int status, byte[] body, long retryAfterMillis, String failure) {
    static final int GONE = 410;
    /** What a call "gets" when its endpoint was removed: nobody is left to tell, so it is done without a call. */
    static final Answer NO_ENDPOINT = new Answer(204, null, 0, "no endpoint");

    static Answer unreachable(String why) {
        return new Answer(0, null, 0, why);
    }

    boolean ok() {
        return status / 100 == 2;
    }

    String describe() {
        return status == 0 ? failure : "HTTP " + status;
    }
}

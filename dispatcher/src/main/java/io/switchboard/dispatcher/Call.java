package io.switchboard.dispatcher;

/** One call owed to a customer's endpoint, made until it is taken or given up. */
interface Call {
    /** The {@code webhook-id}: the same on every attempt, so the receiver can de-duplicate. */
    String id();

    /** When the retry window started (epoch ms): when the message came in, or the first event happened. */
    long since();

    byte[] body(PayloadFormat format);

    /** The server answered 2xx; runs on the caller's thread. */
    void taken(Answer answer);

    /** The call is given up and becomes a dead letter, with the reason. */
    void givenUp(String reason);
}

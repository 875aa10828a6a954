package io.switchboard.dispatcher;

import java.util.ArrayDeque;

/**
 * The calls for one user (or one project's event stream), made one at a time and in order: a later call waits
 * while an earlier one is retried. A lane is active while it is queued, being served or waiting out a backoff;
 * only an idle lane needs to be queued again when a call arrives.
 */
final class Lane {
    final String key;
    private final ArrayDeque<Call> calls = new ArrayDeque<>();
    private boolean active;
    // The head call's attempts so far; only the thread serving the lane touches these.
    int failures;
    String lastFailure;

    Lane(String key) {
        this.key = key;
    }

    /** Adds a call; true when the lane was idle and so must be queued. */
    synchronized boolean add(Call call) {
        calls.add(call);
        if (active) return false;
        active = true;
        return true;
    }

    synchronized Call head() {
        return calls.peek();
    }

    /** Removes the head call; true when another one waits (the lane stays active), false when it went idle. */
    synchronized boolean pop() {
        calls.poll();
        failures = 0;
        lastFailure = null;
        if (!calls.isEmpty()) return true;
        active = false;
        return false;
    }

    synchronized int size() {
        return calls.size();
    }
}

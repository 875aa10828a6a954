package io.switchboard.app.bench;

import io.switchboard.network.sim.SimNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Users' messages put into the simulated network: a steady trickle to one number, or a flood of a given count. */
final class Inbound {
    private final SimNetwork network;
    private final List<String> users;

    Inbound(SimNetwork network) {
        this.network = network;
        this.users = network.users();
    }

    /** Users write to the number at about {@code perSecond} until the answer is closed. */
    AutoCloseable steady(String number, double perSecond) {
        long pauseNanos = (long) (1e9 / perSecond);
        Thread writer = Thread.ofPlatform().daemon().name("steady-" + number).start(() -> {
            for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                network.inject(number, users.get((int) (i % users.size())), "steady " + i);
                try {
                    Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return () -> {
            writer.interrupt();
            writer.join();
        };
    }

    /** Puts {@code count} messages to the number as fast as its queue at the network takes them. */
    void flood(String number, long count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (long i = 0; i < count; i++) {
            while (!network.inject(number, users.get((int) (i % users.size())), "owed " + i)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the network took " + i + " of " + count);
                Thread.sleep(1); // its queue is full: the node has not taken the ones before yet
            }
        }
    }

    /** Whether the network handed everything queued for the number to the node and the node took (stored) it. */
    boolean allTaken(String number) {
        Map<String, Long> counters = network.stats().numbers().get(number);
        return counters != null && counters.get("queued") == 0 && counters.get("in_flight") == 0;
    }
}

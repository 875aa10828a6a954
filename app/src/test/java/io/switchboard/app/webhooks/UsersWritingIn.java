package io.switchboard.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users writing in to one number through the simulated network, each a numbered run of messages ("u3-7" is user 3's
 * 8th), and the check that the Webhook got every user's messages in the order they wrote them.
 */
final class UsersWritingIn {
    private UsersWritingIn() {}

    static String user(int i) {
        return "+1555000" + String.format("%04d", i);
    }

    /** {@code perUser} messages from each of {@code users} users to {@code number}, interleaved. */
    static void inject(Harness harness, String number, int users, int perUser) throws InterruptedException {
        for (int n = 0; n < perUser; n++) {
            for (int u = 0; u < users; u++) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!harness.network.inject(number, user(u), "u" + u + "-" + n)) { // the shard's queue is full
                    assertThat(System.nanoTime()).as("the network takes the message in time").isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
        }
    }

    /** The Webhook's calls, de-duplicated by webhook-id, hold every user's messages in the order written. */
    static void assertEveryUserInOrder(Harness harness, int users, int perUser) {
        Map<String, List<String>> byUser = harness.receiver.textsByUser("/webhook");
        assertThat(byUser).hasSize(users);
        for (int u = 0; u < users; u++) {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < perUser; n++) expected.add("u" + u + "-" + n);
            assertThat(byUser.get(user(u))).as("user %d's messages, in arrival order", u).isEqualTo(expected);
        }
    }
}

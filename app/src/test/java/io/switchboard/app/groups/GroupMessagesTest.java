package io.switchboard.app.groups;

import static io.switchboard.app.groups.GroupTesting.NUMBER;
import static io.switchboard.app.groups.GroupTesting.expectError;
import static io.switchboard.app.groups.GroupTesting.group;
import static io.switchboard.app.groups.GroupTesting.map;
import static io.switchboard.app.groups.GroupTesting.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.groups.GroupTesting.Club;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A message to a group: sent once, fanned out by the network to every member, and every member's delivered and
 * read report paid from the number's TPS budget and handed to the Event Webhook (batched) naming the member. The
 * number has delivery reports off, which its one-to-one messages obey and its group messages do not: the guide
 * cannot turn a group's delivery reports off.
 */
class GroupMessagesTest {
    private static final int MEMBERS = 30;
    private static final SimConfig READERS = SimConfig.defaults().withReadProbability(1.0).withReplyProbability(0);

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void everyMemberGetsTheMessageAndEachReportIsPaidForAndReportedEvenWithDeliveryReportsOff(TestStores.Kind kind)
            throws Exception {
        try (Club club = Club.start(kind, tempDir, READERS, Map.of("tps", 200, "shards", 2, "delivery_reports", false))) {
            Harness harness = club.harness();
            Http http = club.http();
            String token = club.token();
            List<String> members = users(harness, 0, MEMBERS);
            String groupId = group(http, token, "Readers", members).path("id").asText();
            String direct = users(harness, MEMBERS, 1).getFirst();

            String groupMessage = sent(http.call("POST", "/v1/messages", token, Harness.text(NUMBER, groupId, "hello all")));
            String directMessage = sent(http.call("POST", "/v1/messages", token, Harness.text(NUMBER, direct, "hello you")));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(recipients(harness, groupMessage, "read")).hasSize(MEMBERS);
                assertThat(recipients(harness, directMessage, "read")).hasSize(1);
            });
            Thread.sleep(200); // longer than the event batch delay: any late event is here by now
            assertThat(recipients(harness, groupMessage, "delivered")).as("one delivered event per member")
                    .containsExactlyInAnyOrderElementsOf(members);
            assertThat(recipients(harness, groupMessage, "read")).as("one read event per member")
                    .containsExactlyInAnyOrderElementsOf(members);
            assertThat(recipients(harness, groupMessage, "sent")).containsExactly(groupId);
            assertThat(recipients(harness, directMessage, "delivered")).as("reports off for one-to-one").isEmpty();
            for (String member : members) {
                assertThat(harness.network.received(member)).extracting(UserMessage::messageId, UserMessage::from)
                        .as("what %s received", member).containsExactly(org.assertj.core.groups.Tuple.tuple(
                                Ids.parse(groupMessage), groupId));
            }
            int events = harness.receiver.events("/events").size();
            assertThat(harness.receiver.calls("/events").size()).as("%d events, batched", events).isLessThan(events);

            JsonNode message = http.call("GET", "/v1/messages/" + groupMessage, token, null).body();
            assertThat(message.path("to").asText()).isEqualTo(groupId);
            assertThat(message.path("status").asText()).as("%s", message).isEqualTo("read");
            assertThat(message.path("statuses").fieldNames()).toIterable().containsExactly("queued", "sent", "delivered", "read");

            JsonNode used = http.call("GET", "/v1/numbers", token, null).body().path("numbers").get(0).path("budget_used");
            assertThat(used.path("send").asLong()).as("%s", used).isEqualTo(2);
            assertThat(used.path("delivery_report").asLong()).as("every member's delivered report: %s", used)
                    .isEqualTo(MEMBERS);
            assertThat(used.path("read_report").asLong()).as("every member's read report and the direct one: %s", used)
                    .isEqualTo(MEMBERS + 1);
            assertThat(harness.network.stats().get(NUMBER, Counter.DELIVERY_REPORTS)).isEqualTo(MEMBERS);
            JsonNode usage = http.call("GET", "/v1/numbers/" + NUMBER + "/usage", token, null).body().path("total");
            assertThat(usage.path("delivered").asLong()).as("%s", usage).isEqualTo(MEMBERS);
            assertThat(usage.path("read").asLong()).as("%s", usage).isEqualTo(MEMBERS + 1);

            expectError(http.call("POST", "/v1/messages", token, map("from", NUMBER, "to", groupId, "type", "interactive",
                    "interactive", map("type", "button", "body", map("text", "Pick"), "action", map("buttons",
                            List.of(map("type", "reply", "reply", map("id", "a", "title", "A"))))))), 400,
                    "not_for_groups", "type");
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void groupReportsDrawOnTheBudgetSoAGroupMessageAtLowTpsTakesAsLongAsItsReports(TestStores.Kind kind)
            throws Exception {
        try (Club club = Club.start(kind, tempDir, READERS, Map.of("tps", 10))) {
            Harness harness = club.harness();
            Http http = club.http();
            String token = club.token();
            String groupId = group(http, token, "Slow", users(harness, 0, MEMBERS)).path("id").asText();
            long start = System.nanoTime();
            String id = sent(http.call("POST", "/v1/messages", token, Harness.text(NUMBER, groupId, "slowly")));
            await().atMost(Duration.ofSeconds(20)).until(() -> recipients(harness, id, "read").size() == MEMBERS);
            double seconds = (System.nanoTime() - start) / 1e9;
            // 1 send + 30 delivered + 30 read = 61 tokens at 10 TPS (the bucket holds one): about 6 s.
            assertThat(seconds).as("61 interactions at 10 TPS").isGreaterThan(5.5);
            JsonNode used = http.call("GET", "/v1/numbers", token, null).body().path("numbers").get(0).path("budget_used");
            assertThat(used.path("delivery_report").asLong() + used.path("read_report").asLong()).as("%s", used)
                    .isEqualTo(2L * MEMBERS);
        }
    }

    private static String sent(Http.Answer answer) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(202);
        return answer.body().path("messages").get(0).path("id").asText();
    }

    /** The recipients of the Event Webhook's events with this status for the message, in arrival order. */
    private static List<String> recipients(Harness harness, String messageId, String status) {
        List<String> recipients = new ArrayList<>();
        for (JsonNode event : harness.receiver.events("/events")) {
            if (event.path("message_id").asText().equals(messageId) && event.path("status").asText().equals(status)) {
                recipients.add(event.path("recipient").asText());
            }
        }
        return recipients;
    }
}

package io.switchboard.app.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.engine.budget.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The capacity calculator against the guide's example and cases worked out by hand. */
class CapacityTest {
    private static final double EXACT = 1e-9;

    private static Traffic traffic(double outgoing, double incoming, boolean delivery, boolean read, double readShare) {
        return new Traffic(outgoing, incoming, delivery, read, 0, 0, 0, readShare, 80, 0);
    }

    @Test
    void guidesGroupExampleMakes2560ReadEventsAnHour() {
        // 10 groups of 256 members, one message each: 2,560 members read it, 2,560 read events (and as many delivered).
        Capacity.Needs needs = Capacity.of(new Traffic(0, 0, true, true, 10, 256, 1, 1.0, 80, 0));

        assertThat(needs.groupReadReportsPerHour()).isEqualTo(2_560);
        assertThat(needs.groupDeliveryReportsPerHour()).isEqualTo(2_560);
        assertThat(needs.tps(Kind.READ_REPORT)).isCloseTo(2_560 / 3_600.0, within(EXACT)); // 0.711 TPS
        assertThat(needs.tps(Kind.SEND)).isCloseTo(10 / 3_600.0, within(EXACT));             // one send per group
        assertThat(needs.total()).isCloseTo(5_130 / 3_600.0, within(EXACT));
        assertThat(needs.shards()).hasValue(1);
    }

    @Test
    void groupReportsStayWhenReportsAreSwitchedOff() {
        Capacity.Needs needs = Capacity.of(new Traffic(0, 0, false, false, 10, 256, 1, 0.5, 80, 0));

        assertThat(needs.groupDeliveryReportsPerHour()).isEqualTo(2_560);
        assertThat(needs.groupReadReportsPerHour()).isEqualTo(1_280); // half the members read
        assertThat(needs.savings().deliveryReportsOffTps()).isZero();
        assertThat(needs.savings().readReportsOffTps()).isZero();
    }

    @Test
    void everyReportOfAOneToOneMessageCountsInTheTps() {
        // The guide: 10 TPS is 10 interactions a second, reports included. 10 out with both reports, all read,
        // and 5 in: 10 sends + 10 delivered + 10 read + 5 received = 35 TPS.
        Capacity.Needs needs = Capacity.of(traffic(10, 5, true, true, 1.0));

        assertThat(needs.tps(Kind.SEND)).isEqualTo(10);
        assertThat(needs.tps(Kind.RECEIVE)).isEqualTo(5);
        assertThat(needs.tps(Kind.DELIVERY_REPORT)).isEqualTo(10);
        assertThat(needs.tps(Kind.READ_REPORT)).isEqualTo(10);
        assertThat(needs.total()).isEqualTo(35);
    }

    @Test
    void deliveryReportsOffSavesOneInteractionPerMessageOut() {
        Capacity.Needs on = Capacity.of(traffic(10, 5, true, true, 1.0));
        Capacity.Needs off = Capacity.of(traffic(10, 5, false, true, 1.0));

        assertThat(off.total()).isEqualTo(25);
        assertThat(on.savings().deliveryReportsOffTps()).isEqualTo(on.total() - off.total());
        assertThat(on.savings().deliveryReportsOffTps() / on.total()).isCloseTo(10 / 35.0, within(EXACT)); // 28.6 %
    }

    @Test
    void readShareScalesReadReportsOnly() {
        Capacity.Needs needs = Capacity.of(traffic(20, 0, true, true, 0.25));

        assertThat(needs.tps(Kind.READ_REPORT)).isEqualTo(5);
        assertThat(needs.tps(Kind.DELIVERY_REPORT)).isEqualTo(20);
        assertThat(needs.total()).isEqualTo(45);
    }

    @Test
    void eventWebhookOffSavesNoTpsButTheEventsShareOfTheServersLoad() {
        // 10 out with both reports and 5 in: the server hears 5 messages and 20 events a second; without the Event
        // Webhook only the 5 messages, 80 % less. The TPS stays 35: the network still sends the reports.
        Capacity.Needs needs = Capacity.of(traffic(10, 5, true, true, 1.0));

        assertThat(needs.savings().webhookEventsPerSecond()).isEqualTo(20);
        assertThat(needs.savings().eventWebhookOffShare()).isCloseTo(0.8, within(EXACT));
        assertThat(needs.total()).isEqualTo(35);
        // With one event per message (delivered, nobody reads) and as many messages in, it is the guide's 50 %.
        assertThat(Capacity.of(traffic(10, 10, true, true, 0)).savings().eventWebhookOffShare()).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "{0} TPS at {1} a shard -> {2} shards")
    @CsvSource({"1.43, 80, 1", "80, 80, 1", "80.5, 80, 2", "100, 30, 4", "500, 20, 32", "640, 20, 32", "35, 10, 4"})
    void shardsRoundUpToTheCountsTheNetworkSupports(double tps, double perShard, int shards) {
        assertThat(Capacity.shards(tps, perShard)).hasValue(shards);
    }

    @Test
    void moreThan32ShardsIsNotAnAnswer() {
        assertThat(Capacity.shards(700, 20)).isEmpty();
    }

    @Test
    void commandPrintsTheGuidesExample() {
        StringWriter text = new StringWriter();
        int exit = new CommandLine(new CapacityCommand()).setOut(new PrintWriter(text))
                .execute("--groups", "10", "--members", "256", "--messages-per-group", "1", "--read-share", "1.0");

        assertThat(exit).isZero();
        assertThat(text.toString())
                .contains("2,560 delivery reports and 2,560 read reports an hour")
                .containsPattern("read report\\s+0\\.00\\s+0\\.71\\s+0\\.71\\s+2,560")
                .containsPattern("total\\s+1\\.43\\s+5,130")
                .contains("Shards: 1 at 80 TPS a shard");
    }

    @Test
    void commandPrintsTpsPerKindShardsAndSavings() {
        StringWriter text = new StringWriter();
        int exit = new CommandLine(new CapacityCommand()).setOut(new PrintWriter(text)).execute("--outgoing", "10",
                "--incoming", "5", "--delivery-reports", "on", "--read-reports", "on", "--per-shard-tps", "10", "--tps", "20");

        assertThat(exit).isZero();
        assertThat(text.toString())
                .containsPattern("send\\s+10\\.00\\s+0\\.00\\s+10\\.00\\s+36,000")
                .containsPattern("receive\\s+5\\.00\\s+0\\.00\\s+5\\.00\\s+18,000")
                .containsPattern("total\\s+35\\.00\\s+126,000")
                .contains("Shards: 4 at 10 TPS a shard")
                .contains("15.00 TPS short")
                .contains("delivery reports off: 10.00 TPS (28.6% of the TPS needed)")
                .contains("Event Webhook off:    no TPS")
                .contains("20.00 fewer events a second").contains("80.0% of what its webhooks hear");
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> new Traffic(0, 0, true, true, 0, 0, 0, 1.5, 80, 0)).hasMessageStartingWith("read-share:");
        assertThatThrownBy(() -> new Traffic(-1, 0, true, true, 0, 0, 0, 1, 80, 0)).hasMessageStartingWith("outgoing:");
        assertThat(new CommandLine(new CapacityCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--delivery-reports", "maybe")).isNotZero();
    }
}

package io.switchboard.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code switchboard demo}, as a newcomer runs it, on either road: the campaign goes out and is delivered and read,
 * users answer and their messages reach the sample bot's Webhook, and the Event Webhook carries the statuses.
 */
class DemoCommandTest {
    private static final Pattern CAMPAIGN = Pattern.compile("campaign: ([\\d,]+) queued; ([\\d,]+) sent, ([\\d,]+) delivered, ([\\d,]+) read");
    private static final Pattern INCOMING = Pattern.compile("incoming: ([\\d,]+) messages, ([\\d,]+) Webhook calls");
    private static final Pattern EVENTS = Pattern.compile("Event Webhook: ([\\d,]+) events");

    @ParameterizedTest
    @ValueSource(strings = {"network", "cloud"})
    void aCampaignGoesOutAndUsersAnswerOnEitherRoad(String upstream) {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run("demo", "--upstream", upstream, "--duration", "8s", "--users", "300", "--tps", "100");
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        console.print(output);

        assertThat(exit).isZero();
        Matcher campaign = found(CAMPAIGN, output);
        assertThat(number(campaign, 1)).as("queued").isPositive();
        assertThat(number(campaign, 2)).as("sent (the campaign and the bot's instant replies)").isPositive();
        assertThat(number(campaign, 3)).as("delivered").isPositive();
        assertThat(number(campaign, 4)).as("read").isPositive();
        Matcher incoming = found(INCOMING, output);
        assertThat(number(incoming, 1)).as("users' answers").isPositive();
        assertThat(number(incoming, 2)).as("reaching the bot's Webhook").isPositive();
        assertThat(number(found(EVENTS, output), 1)).as("statuses on the Event Webhook").isPositive();
        if (upstream.equals("cloud")) assertThat(output).contains("stand-in for Meta's Cloud API");
    }

    private static Matcher found(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        assertThat(matcher.find()).as("%s in:%n%s", pattern, output).isTrue();
        return matcher;
    }

    private static long number(Matcher matcher, int group) {
        return Long.parseLong(matcher.group(group).replace(",", ""));
    }
}

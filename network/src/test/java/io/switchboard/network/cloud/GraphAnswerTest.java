package io.switchboard.network.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the Graph API's answers are sorted, and how long a user waits after Meta's pair rate limit. */
class GraphAnswerTest {
    private final ObjectMapper json = new ObjectMapper();

    private GraphAnswer answer(int status, String body) {
        return GraphAnswer.of(status, body.getBytes(StandardCharsets.UTF_8), json);
    }

    private static String error(int code) {
        return "{\"error\":{\"message\":\"(#" + code + ") it went wrong\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"the details\"},\"fbtrace_id\":\"Az\"}}";
    }

    @Test
    void metasCodesDecideWhatHappensToASend() {
        assertThat(answer(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+1\",\"wa_id\":\"1\"}],"
                + "\"messages\":[{\"id\":\"wamid.X\"}]}")).isEqualTo(new GraphAnswer.Sent("wamid.X"));
        assertThat(answer(400, error(130429))).isInstanceOf(GraphAnswer.Throttled.class);
        assertThat(answer(429, "not json")).isInstanceOf(GraphAnswer.Throttled.class);
        assertThat(answer(400, error(131056))).isInstanceOf(GraphAnswer.PairLimited.class);
        assertThat(answer(503, error(2))).isInstanceOf(GraphAnswer.Transient.class);
        assertThat(answer(500, "<html>")).isInstanceOf(GraphAnswer.Transient.class);
        assertThat(answer(401, error(190))).as("a token to renew waits").isInstanceOf(GraphAnswer.Transient.class);
        assertThat(answer(400, error(131048)))
                .isEqualTo(new GraphAnswer.Rejected("131048", "(#131048) it went wrong (the details)"));
        assertThat(answer(200, "{}")).isInstanceOf(GraphAnswer.Rejected.class);
    }

    @Test
    void aPairLimitedUserWaitsFourToTheNSecondsUpToFifteenMinutes() {
        assertThat(CloudLink.pairDelay(1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(CloudLink.pairDelay(2)).isEqualTo(Duration.ofSeconds(16));
        assertThat(CloudLink.pairDelay(3)).isEqualTo(Duration.ofSeconds(64));
        assertThat(CloudLink.pairDelay(5)).isEqualTo(Duration.ofSeconds(900));
        assertThat(CloudLink.pairDelay(40)).isEqualTo(Duration.ofSeconds(900));
    }
}

package io.switchboard.dispatcher.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignerTest {
    /** whsec_ + base64("switchboard-test-secret-32-bytes"), fixed so the vectors below can be checked with openssl. */
    private static final String FIXED = "whsec_c3dpdGNoYm9hcmQtdGVzdC1zZWNyZXQtMzItYnl0ZXM=";
    private static final byte[] BODY = "{\"id\":\"0ABC\",\"text\":{\"body\":\"hi\"}}".getBytes(UTF_8);

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Verifies like a receiver using the official library would, on the body as text (the library takes a String). */
    private static void verify(String secret, String id, long timestamp, byte[] body, String signature) throws Exception {
        new Webhook(secret).verify(new String(body, UTF_8), Map.of(
                "webhook-id", List.of(id),
                "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature)));
    }

    @Test
    void theStandardLibraryVerifiesOurSignatureAndComputesTheSameOne() throws Exception {
        String secret = Signer.newSecret();
        long timestamp = now();
        String signature = new Signer(List.of(secret)).standardSignature("msg_1", timestamp, BODY);

        assertThat(signature).startsWith("v1,").doesNotContain(" ");
        assertThat(signature).isEqualTo(new Webhook(secret).sign("msg_1", timestamp, new String(BODY, UTF_8)));
        assertThatCode(() -> verify(secret, "msg_1", timestamp, BODY, signature)).doesNotThrowAnyException();
    }

    @Test
    void standardSignatureMatchesAVectorComputedWithOpenssl() {
        // printf '%s' 'msg_1.1700000000.hello' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key hex> -binary | base64
        assertThat(new Signer(List.of(FIXED)).standardSignature("msg_1", 1_700_000_000L, "hello".getBytes(UTF_8)))
                .isEqualTo("v1,Ew7L3LGVe/Li8gRpczcxQiSs/B/q1Ixjvm47ak7uj6Y=");
    }

    @Test
    void duringRotationAReceiverHoldingEitherSecretAccepts() throws Exception {
        String fresh = Signer.newSecret();
        String old = Signer.newSecret();
        long timestamp = now();
        String signature = new Signer(List.of(fresh, old)).standardSignature("msg_2", timestamp, BODY);

        assertThat(signature.split(" ", -1)).hasSize(2)
                .containsExactly(new Signer(List.of(fresh)).standardSignature("msg_2", timestamp, BODY),
                        new Signer(List.of(old)).standardSignature("msg_2", timestamp, BODY));
        assertThatCode(() -> verify(fresh, "msg_2", timestamp, BODY, signature)).doesNotThrowAnyException();
        assertThatCode(() -> verify(old, "msg_2", timestamp, BODY, signature)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(Signer.newSecret(), "msg_2", timestamp, BODY, signature))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("No matching signature found");
    }

    @Test
    void aBodyChangedByOneByteOrAnotherIdIsRejected() {
        String secret = Signer.newSecret();
        long timestamp = now();
        String signature = new Signer(List.of(secret)).standardSignature("msg_3", timestamp, BODY);
        byte[] changed = BODY.clone();
        changed[changed.length - 4] = 'j'; // "hi" -> "hj"

        assertThatThrownBy(() -> verify(secret, "msg_3", timestamp, changed, signature))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(secret, "msg_4", timestamp, BODY, signature))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aBodyWithEmojiAndNonLatinTextVerifies() {
        String secret = Signer.newSecret();
        long timestamp = now();
        byte[] body = "{\"text\":{\"body\":\"नमस्ते 😀\"}}".getBytes(UTF_8);
        String signature = new Signer(List.of(secret)).standardSignature("msg_5", timestamp, body);

        assertThatCode(() -> verify(secret, "msg_5", timestamp, body, signature)).doesNotThrowAnyException();
    }

    @Test
    void hubSignatureIsTheHexHmacOfTheBodyKeyedWithTheNewestSecretsText() throws Exception {
        String fresh = Signer.newSecret();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(fresh.getBytes(UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(BODY));

        assertThat(new Signer(List.of(fresh, Signer.newSecret())).hubSignature(BODY)).isEqualTo(expected);
    }

    @Test
    void hubSignatureMatchesVectorsComputedWithOpenssl() {
        Signer signer = new Signer(List.of(FIXED));
        // printf '%s' "$body" | openssl dgst -sha256 -hmac "$FIXED"
        assertThat(signer.hubSignature("{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(UTF_8)))
                .isEqualTo("sha256=ee56545ffb7c32a43d4a3c93a7b331e2e9de9032b811e8e4b8df67a7f4052863");
        assertThat(signer.hubSignature("{\"text\":\"\\u0928\\u092e\\u0938\\u094d\\u0924\\u0947 \\ud83d\\ude00\"}"
                .getBytes(UTF_8)))
                .isEqualTo("sha256=f878062d450ac38fa888495934f6bdff56a11f1a0685caf76a7f74c4d5963bff");
    }

    @Test
    void newSecretsAreValidRandomAndOf32Bytes() {
        String one = Signer.newSecret();
        String two = Signer.newSecret();

        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(32);
        assertThat(Signer.isValidSecret(one)).isTrue();
    }

    @Test
    void validSecretsHaveThePrefixAndDecodeTo24To64Bytes() {
        assertThat(Signer.isValidSecret(secretOf(24))).isTrue();
        assertThat(Signer.isValidSecret(secretOf(64))).isTrue();
        assertThat(Signer.isValidSecret(secretOf(23))).isFalse();
        assertThat(Signer.isValidSecret(secretOf(65))).isFalse();
        assertThat(Signer.isValidSecret(secretOf(32).substring(6))).isFalse();
        assertThat(Signer.isValidSecret("whsec_not*base64!but-long-enough-to-count-as-one")).isFalse();
        assertThat(Signer.isValidSecret(null)).isFalse();
    }

    @Test
    void aSignerTakesOneOrTwoValidSecretsAndNeverShowsThem() {
        String secret = secretOf(32);
        String tooShort = secretOf(16);

        assertThatThrownBy(() -> new Signer(List.of(secret, tooShort)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret 2 of 2")
                .hasMessageNotContaining(tooShort.substring(6)).hasMessageNotContaining(secret.substring(6));
        assertThatThrownBy(() -> new Signer(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Signer(List.of(secret, secret, secret)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Signer(List.of(secret, Signer.newSecret())).toString())
                .isEqualTo("Signer[2 secrets]").doesNotContain(secret.substring(6));
    }

    private static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) key[i] = (byte) (i * 7 + 1);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}

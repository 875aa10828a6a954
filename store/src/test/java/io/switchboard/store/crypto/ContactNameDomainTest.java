package io.switchboard.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.tsid.Tsid;
import org.junit.jupiter.api.Test;

/** A contact's profile name is sealed in a domain of its own, apart from message bodies. */
class ContactNameDomainTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550001111";
    private final DataKey key = Vault.of(new byte[32]).unwrap(NUMBER, Vault.of(new byte[32]).newWrappedDataKey(NUMBER));

    @Test
    void aContactNameDoesNotOpenAsAMessageBody() {
        byte[] name = key.sealContactName(NUMBER, USER, "Asha");

        assertThat(key.openContactName(NUMBER, USER, name)).isEqualTo("Asha");
        assertThatThrownBy(() -> key.open(15550001111L, name)).as("as the body of the message numbered like the user")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.openContactName("+919800000002", USER, name)).as("another number's contact")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.openContactName(NUMBER, "+15550002222", name)).as("another user")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMessageBodyDoesNotOpenAsAContactName() {
        long messageId = Tsid.fast().toLong(); // a TSID, as every message id is
        byte[] body = key.seal(messageId, "a body");

        assertThatThrownBy(() -> key.openContactName(NUMBER, USER, body)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.openCallback(messageId, key.sealContactName(NUMBER, USER, "Asha")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNameSealedBeforeContactsHadTheirOwnDomainStillOpens() {
        byte[] legacy = key.seal(15550001111L, "Ravi"); // how contact names were sealed: the user's digits as an id

        assertThat(key.openContactName(NUMBER, USER, legacy)).isEqualTo("Ravi");
    }
}

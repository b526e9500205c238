package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.signing.TrustStore.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustStoreTest {

    @TempDir
    Path tmp;

    @Test
    void openCreatesTheKeysFolder() throws Exception {
        TrustStore.open(tmp.resolve("trust"));

        assertThat(tmp.resolve("trust/keys")).isDirectory();
    }

    @Test
    void addedKeyIsPinnedAsPemAndFoundByItsId() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        KeyPair pair = Keys.generate();

        TrustedKey added = store.add(pair.getPublic(), "acme.publisher-1");

        String id = Keys.keyId(pair.getPublic());
        assertThat(added).isEqualTo(new TrustedKey(id, "acme.publisher-1", pair.getPublic()));
        assertThat(Files.readString(tmp.resolve("keys/acme.publisher-1.pem"))).isEqualTo(Keys.publicPem(pair.getPublic()));
        assertThat(store.find(id)).contains(added);
        assertThat(store.find(Keys.keyId(Keys.generate().getPublic()))).isEmpty();
    }

    @Test
    void addingTheSameKeyTwiceUnderOneNameKeepsOneEntry() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        KeyPair pair = Keys.generate();

        store.add(pair.getPublic(), "acme");
        store.add(pair.getPublic(), "acme");

        assertThat(store.keys()).extracting(TrustedKey::name).containsExactly("acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "", "with space", "x.pem/../../y", ".hidden",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void addRefusesANameThatIsNotAPlainFileName(String name) throws Exception {
        TrustStore store = TrustStore.open(tmp.resolve("trust"));
        KeyPair pair = Keys.generate();

        assertThatThrownBy(() -> store.add(pair.getPublic(), name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad key name '" + name + "'");
        assertThat(tmp.resolve("x.pem")).doesNotExist();
        try (var files = Files.list(tmp.resolve("trust/keys"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDifferentKeyUnderAnAlreadyUsedNameIsRefusedAndThePinIsKept() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        KeyPair first = Keys.generate();
        store.add(first.getPublic(), "acme");

        assertThatThrownBy(() -> store.add(Keys.generate().getPublic(), "acme"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a different key is already trusted as 'acme'");
        assertThat(Files.readString(tmp.resolve("keys/acme.pem"))).isEqualTo(Keys.publicPem(first.getPublic()));
    }

    @Test
    void keysAreListedSortedByName() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        store.add(Keys.generate().getPublic(), "zeta");
        store.add(Keys.generate().getPublic(), "alpha");
        store.add(Keys.generate().getPublic(), "mid");

        assertThat(store.keys()).extracting(TrustedKey::name).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void unreadablePemIsSkippedAndTheOtherKeysStillLoad() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        KeyPair good = Keys.generate();
        store.add(good.getPublic(), "good");
        Files.writeString(tmp.resolve("keys/broken.pem"), "not a key");

        assertThat(store.keys()).extracting(TrustedKey::name).containsExactly("good");
    }

    @Test
    void filesWithoutThePemSuffixAreNotTrusted() throws Exception {
        TrustStore store = TrustStore.open(tmp);
        KeyPair pair = Keys.generate();
        Files.writeString(tmp.resolve("keys/acme.pub"), Keys.publicPem(pair.getPublic()));

        assertThat(store.find(Keys.keyId(pair.getPublic()))).isEmpty();
    }
}

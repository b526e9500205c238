package ai.clawbot.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.config.StateDir;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVaultTest {

    private static final String TOKEN = "ghp_s3cr3t-Value-That-Must-Never-Leak-0123456789";

    @TempDir
    Path dir;

    private StateDir state() {
        return new StateDir(dir.resolve("state"));
    }

    private FileVault vault() throws SecretsException {
        return FileVault.open(state(), Map.of());
    }

    private FileVault vaultWithKey(byte[] key) throws SecretsException {
        return FileVault.open(state(), Map.of("OPENCLAW_VAULT_KEY", Base64.getEncoder().encodeToString(key)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void aValueSetIsResolvedByANewVaultOnTheSameStateAndReplacingItKeepsOnlyTheNewValue() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', 0};
        vault().set("GITHUB_TOKEN", utf8(TOKEN));
        vault().set("raw.key", binary);

        Map<String, byte[]> got = vault().resolve(List.of("GITHUB_TOKEN", "raw.key"));
        assertThat(got).containsOnlyKeys("GITHUB_TOKEN", "raw.key");
        assertThat(utf8(got.get("GITHUB_TOKEN"))).isEqualTo(TOKEN);
        assertThat(got.get("raw.key")).containsExactly(binary);

        vault().set("GITHUB_TOKEN", utf8("rotated"));
        assertThat(utf8(vault().resolve(List.of("GITHUB_TOKEN")).get("GITHUB_TOKEN"))).isEqualTo("rotated");
        assertThat(vault().resolve(List.of("GITHUB_TOKEN"))).containsOnlyKeys("GITHUB_TOKEN");
        assertThat(vault().resolve(List.of())).isEmpty();
    }

    @Test
    void namesAreSortedAndNothingListedOrPrintedHoldsAValue() throws Exception {
        assertThat(vault().names()).isEmpty();
        FileVault v = vault();
        v.set("zeta", utf8(TOKEN));
        v.set("ALPHA", utf8(TOKEN));
        v.set("beta", utf8(TOKEN));
        assertThat(v.names()).containsExactly("ALPHA", "beta", "zeta");
        assertThat(v.toString()).doesNotContain(TOKEN);
        assertThat(v.resolve(List.of("zeta")).toString()).doesNotContain(TOKEN).contains("zeta");
    }

    @Test
    void theVaultFileHoldsNeitherThePlaintextNorAnyEncodingOfIt() throws Exception {
        vault().set("GITHUB_TOKEN", utf8(TOKEN));
        String onDisk = Files.readString(vault().file());
        assertThat(onDisk).contains("GITHUB_TOKEN").contains("AES-256-GCM")
                .doesNotContain(TOKEN)
                .doesNotContain(Base64.getEncoder().encodeToString(utf8(TOKEN)))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(TOKEN)))
                .doesNotContain(HexFormat.of().formatHex(utf8(TOKEN)))
                // Any 8 consecutive characters of the token would be a partial leak.
                .doesNotContain(TOKEN.substring(4, 12));
    }

    @Test
    void twoValuesAlikeAreSealedUnderDifferentNonces() throws Exception {
        FileVault v = vault();
        v.set("a", utf8(TOKEN));
        v.set("b", utf8(TOKEN));
        ObjectNode secrets = (ObjectNode) new ObjectMapper().readTree(v.file().toFile()).get("secrets");
        assertThat(secrets.get("a").get("nonce").asText()).isNotEqualTo(secrets.get("b").get("nonce").asText());
        assertThat(secrets.get("a").get("ciphertext").asText()).isNotEqualTo(secrets.get("b").get("ciphertext").asText());
    }

    @Test
    void theVaultAndItsKeyAreOwnerOnlyInAnOwnerOnlyFolder() throws Exception {
        FileVault v = vault();
        v.set("GITHUB_TOKEN", utf8(TOKEN));
        assertThat(mode(v.file())).isEqualTo("rw-------");
        assertThat(mode(v.keyFile())).isEqualTo("rw-------");
        assertThat(Files.size(v.keyFile())).isEqualTo(32);
        assertThat(mode(v.folder())).isEqualTo("rwx------");
        assertThat(v.folder()).isEqualTo(state().root().resolve("secrets"));
        v.set("other", utf8("x"));
        assertThat(mode(v.file())).isEqualTo("rw-------");
        try (var files = Files.list(v.folder())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("vault.json", "vault.key", "vault.lock");
        }
    }

    @Test
    void theEnvironmentKeyWinsOverTheKeyFileAndCreatesNone() throws Exception {
        byte[] envKey = key(7);
        vaultWithKey(envKey).set("GITHUB_TOKEN", utf8(TOKEN));
        assertThat(Files.exists(vault().keyFile())).isFalse();
        assertThat(utf8(vaultWithKey(envKey).resolve(List.of("GITHUB_TOKEN")).get("GITHUB_TOKEN"))).isEqualTo(TOKEN);
        assertThatThrownBy(() -> vault().resolve(List.of("GITHUB_TOKEN")))
                .isInstanceOf(SecretsException.class).hasMessageContaining("no vault key");

        // With a key file present too, the environment's key is still the one used.
        Path other = dir.resolve("other");
        FileVault fileKeyed = FileVault.open(new StateDir(other), Map.of());
        fileKeyed.set("X", utf8(TOKEN));
        byte[] fileKey = Files.readAllBytes(fileKeyed.keyFile());
        Map<String, String> sameKeyInEnv = Map.of("OPENCLAW_VAULT_KEY", Base64.getEncoder().encodeToString(fileKey));
        assertThat(utf8(FileVault.open(new StateDir(other), sameKeyInEnv).resolve(List.of("X")).get("X"))).isEqualTo(TOKEN);
        Map<String, String> otherKeyInEnv = Map.of("OPENCLAW_VAULT_KEY", Base64.getEncoder().encodeToString(key(9)));
        assertThatThrownBy(() -> FileVault.open(new StateDir(other), otherKeyInEnv).resolve(List.of("X")))
                .isInstanceOf(SecretsException.class).hasMessageContaining("wrong vault key");
    }

    @Test
    void aWrongKeyIsRefusedWithoutLeakingTheValueAndLeavesTheFileIntact() throws Exception {
        vaultWithKey(key(1)).set("GITHUB_TOKEN", utf8(TOKEN));
        byte[] before = Files.readAllBytes(vault().file());

        assertThatThrownBy(() -> vaultWithKey(key(2)).resolve(List.of("GITHUB_TOKEN")))
                .isInstanceOf(SecretsException.class)
                .hasMessage("cannot decrypt secret GITHUB_TOKEN: wrong vault key or tampered vault")
                .hasNoCause()
                .satisfies(e -> assertThat(((SecretsException) e).kind()).isEqualTo(SecretsException.Kind.CORRUPT));
        // Storing under another key would leave a vault no single key opens.
        assertThatThrownBy(() -> vaultWithKey(key(2)).set("NEW", utf8("v")))
                .isInstanceOf(SecretsException.class).hasMessageContaining("wrong vault key").hasMessageContaining("nothing was stored");
        assertThat(Files.readAllBytes(vault().file())).isEqualTo(before);
        assertThat(utf8(vaultWithKey(key(1)).resolve(List.of("GITHUB_TOKEN")).get("GITHUB_TOKEN"))).isEqualTo(TOKEN);
    }

    @Test
    void aMalformedEnvironmentKeyFailsAtOpenWithoutEchoingIt() {
        String notBase64 = "this-is-not*base64!";
        assertThatThrownBy(() -> FileVault.open(state(), Map.of("OPENCLAW_VAULT_KEY", notBase64)))
                .isInstanceOf(SecretsException.class).hasMessageContaining("OPENCLAW_VAULT_KEY is not valid base64")
                .hasMessageNotContaining(notBase64);
        String shortKey = Base64.getEncoder().encodeToString(utf8("sixteen-byte-key"));
        assertThatThrownBy(() -> FileVault.open(state(), Map.of("OPENCLAW_VAULT_KEY", shortKey)))
                .isInstanceOf(SecretsException.class).hasMessageContaining("32 bytes, not 16")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void aFlippedCiphertextByteIsRefusedAndTheFileLeftAsItWas() throws Exception {
        vault().set("GITHUB_TOKEN", utf8(TOKEN));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(vault().file().toFile());
        ObjectNode entry = (ObjectNode) root.get("secrets").get("GITHUB_TOKEN");
        byte[] ct = Base64.getDecoder().decode(entry.get("ciphertext").asText());
        ct[3] ^= 0x01;
        entry.put("ciphertext", Base64.getEncoder().encodeToString(ct));
        Files.write(vault().file(), json.writeValueAsBytes(root));
        byte[] tampered = Files.readAllBytes(vault().file());

        assertThatThrownBy(() -> vault().resolve(List.of("GITHUB_TOKEN")))
                .isInstanceOf(SecretsException.class)
                .hasMessage("cannot decrypt secret GITHUB_TOKEN: wrong vault key or tampered vault");
        assertThat(Files.readAllBytes(vault().file())).isEqualTo(tampered);
    }

    @Test
    void aValueMovedToAnotherNameInsideTheFileDoesNotDecrypt() throws Exception {
        FileVault v = vault();
        v.set("GITHUB_TOKEN", utf8(TOKEN));
        v.set("HARMLESS", utf8("public-ish"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(v.file().toFile());
        ObjectNode secrets = (ObjectNode) root.get("secrets");
        // A skill allowed HARMLESS must not be handed GITHUB_TOKEN's value by editing the file.
        secrets.set("HARMLESS", secrets.get("GITHUB_TOKEN").deepCopy());
        Files.write(v.file(), json.writeValueAsBytes(root));

        assertThatThrownBy(() -> v.resolve(List.of("HARMLESS")))
                .isInstanceOf(SecretsException.class)
                .hasMessage("cannot decrypt secret HARMLESS: wrong vault key or tampered vault");
        assertThat(utf8(v.resolve(List.of("GITHUB_TOKEN")).get("GITHUB_TOKEN"))).isEqualTo(TOKEN);
    }

    @Test
    void missingSecretsAreAllNamedAndNothingIsReturned() throws Exception {
        vault().set("PRESENT", utf8(TOKEN));
        assertThatThrownBy(() -> vault().resolve(List.of("PRESENT", "ABSENT_ONE", "ABSENT_TWO")))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("ABSENT_ONE").hasMessageContaining("ABSENT_TWO")
                .hasMessageNotContaining(TOKEN)
                .satisfies(e -> assertThat(((SecretsException) e).kind()).isEqualTo(SecretsException.Kind.MISSING));
        // No vault at all: still a missing secret, not a missing key.
        assertThatThrownBy(() -> FileVault.open(new StateDir(dir.resolve("empty")), Map.of()).resolve(Set.of("NOPE")))
                .isInstanceOf(SecretsException.class).hasMessage("secret not found: NOPE; store it with: claw secrets set NOPE");
    }

    @Test
    void badNamesAreRefusedEverywhere() throws Exception {
        FileVault v = vault();
        for (String bad : List.of("", "1abc", "has space", "a/b", "../x", "é", "a".repeat(65))) {
            assertThatThrownBy(() -> v.set(bad, utf8("v"))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid secret name");
            assertThatThrownBy(() -> v.resolve(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> v.remove(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        v.set("a".repeat(64), utf8("v"));
        v.set("A1_b.c-d", utf8("v"));
        assertThat(v.names()).containsExactly("A1_b.c-d", "a".repeat(64));
    }

    @Test
    void valuesOverTheCapOrEmptyAreRefusedAndTheCapItselfIsAccepted() throws Exception {
        FileVault v = vault();
        assertThatThrownBy(() -> v.set("BIG", new byte[FileVault.MAX_VALUE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 65536");
        assertThatThrownBy(() -> v.set("EMPTY", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(v.names()).isEmpty();
        byte[] max = new byte[FileVault.MAX_VALUE_BYTES];
        max[max.length - 1] = 42;
        v.set("MAX", max);
        assertThat(v.resolve(List.of("MAX")).get("MAX")).isEqualTo(max);
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedAndNotRepaired() throws Exception {
        FileVault v = vault();
        v.set("GITHUB_TOKEN", utf8(TOKEN));
        Files.setPosixFilePermissions(v.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> v.resolve(List.of("GITHUB_TOKEN")))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("accessible by group or others (mode rw-r--r--)")
                .hasMessageContaining("chmod 600 " + v.keyFile())
                .satisfies(e -> assertThat(((SecretsException) e).kind()).isEqualTo(SecretsException.Kind.KEY));
        assertThatThrownBy(() -> v.set("OTHER", utf8("v"))).isInstanceOf(SecretsException.class)
                .hasMessageContaining("accessible by group or others");
        assertThat(mode(v.keyFile())).isEqualTo("rw-r--r--");

        Files.setPosixFilePermissions(v.keyFile(), PosixFilePermissions.fromString("rw-------"));
        assertThat(utf8(v.resolve(List.of("GITHUB_TOKEN")).get("GITHUB_TOKEN"))).isEqualTo(TOKEN);
    }

    @Test
    void aLostKeyFileIsNotSilentlyReplaced() throws Exception {
        FileVault v = vault();
        v.set("GITHUB_TOKEN", utf8(TOKEN));
        Files.delete(v.keyFile());
        assertThatThrownBy(() -> v.set("OTHER", utf8("v")))
                .isInstanceOf(SecretsException.class).hasMessageContaining("holds secrets but its key");
        assertThat(Files.exists(v.keyFile())).isFalse();
    }

    @Test
    void removeIsPersistedAndRemovingAnAbsentSecretSaysSo() throws Exception {
        FileVault v = vault();
        assertThat(v.remove("NEVER_SET")).isFalse();
        v.set("A", utf8("a"));
        v.set("B", utf8("b"));
        assertThat(v.remove("A")).isTrue();
        assertThat(v.remove("A")).isFalse();

        FileVault reopened = vault();
        assertThat(reopened.names()).containsExactly("B");
        assertThat(Files.readString(reopened.file())).doesNotContain("\"A\"");
        assertThatThrownBy(() -> reopened.resolve(List.of("A"))).isInstanceOf(SecretsException.class)
                .hasMessageContaining("secret not found: A");
        assertThat(utf8(reopened.resolve(List.of("B")).get("B"))).isEqualTo("b");
    }

    @Test
    void aBrokenVaultFileIsRefusedWithItsLocationAndLeftAlone() throws Exception {
        FileVault v = vault();
        v.set("A", utf8("a"));
        Files.writeString(v.file(), "{\"version\": 1, \"secrets\": {,}}");
        assertThatThrownBy(v::names).isInstanceOf(SecretsException.class)
                .hasMessageContaining("not valid JSON (line 1");
        assertThatThrownBy(() -> v.set("B", utf8("b"))).isInstanceOf(SecretsException.class);
        assertThat(Files.readString(v.file())).isEqualTo("{\"version\": 1, \"secrets\": {,}}");

        String duplicate = "{\"version\":1,\"cipher\":\"AES-256-GCM\",\"secrets\":{\"A\":{\"nonce\":\"AAAAAAAAAAAAAAAA\","
                + "\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\"},\"A\":{\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}}}";
        Files.writeString(v.file(), duplicate);
        assertThatThrownBy(v::names).isInstanceOf(SecretsException.class).hasMessageContaining("not valid JSON");

        Files.writeString(v.file(), "{\"version\":2,\"cipher\":\"AES-256-GCM\",\"secrets\":{}}");
        assertThatThrownBy(v::names).isInstanceOf(SecretsException.class).hasMessageContaining("unsupported vault version 2");
    }

    @Test
    void concurrentWritersDoNotLoseEachOthersSecrets() throws Exception {
        vault().set("FIRST", utf8("creates the key before the race"));
        List<Thread> writers = new java.util.ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            String name = "S" + i;
            // Separate instances, as separate `claw secrets set` runs would be.
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    vault().set(name, utf8("value-" + name));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(vault().names()).containsExactly("FIRST", "S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7");
        assertThat(utf8(vault().resolve(List.of("S5")).get("S5"))).isEqualTo("value-S5");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publisher keys people protect and already have, through the real {@code ./claw}: encrypted PKCS#8 keys,
 * OpenSSH keys made by Debian's {@code ssh-keygen -t ed25519}, and key rotation, each ending in
 * {@code claw plugins verify}.
 */
class PublisherKeysCliIT {

    @TempDir
    static Path tmp;
    static Path jar;

    @BeforeAll
    static void buildPlugin() throws Exception {
        jar = TestPluginJar.of("keyed", "1.0.0", """
                id: keyed
                version: 1.0.0
                description: A skill signed with various keys.
                tools:
                  - name: hello
                    description: Say hello.
                    effect: read
                    input: {type: object}
                sandbox: {image: skill-jre}
                permissions: {workspace: none}
                network: none
                """, "k.Keyed", """
                package k;
                import ai.clawbot.plugin.api.*;
                import java.util.Map;
                public class Keyed implements Skill {
                    public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hi")); }
                }
                """).build(Files.createDirectories(tmp.resolve("build")));
    }

    private Map<String, String> env(String state, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("OPENCLAW_STATE_DIR", tmp.resolve(state).toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private static String keyId(Claw.Result r) {
        return r.out().replaceAll("(?s).*key id[:\\s]+([0-9a-f]{64}).*", "$1");
    }

    @Test
    void openSshKeysFromSshKeygenSignPluginsThatVerifyOnceThePubIsTrusted() throws Exception {
        Path jars = Files.createDirectories(tmp.resolve("ssh-jars"));
        Map<String, String> env = env("state-ssh", "KEY_PASS", "open sesame");
        Map<String, String> ids = new HashMap<>();
        for (String name : List.of("plain", "locked")) {
            String passphrase = name.equals("plain") ? "" : "open sesame";
            Path key = Files.createDirectories(tmp.resolve("ssh-" + name)).resolve("id_ed25519");
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name + "@test", "-f", key.toString());
            Path copy = jars.resolve(name + ".jar");
            Files.copy(jar, copy);
            List<String> sign = new java.util.ArrayList<>(List.of("plugins", "sign", copy.toString(), "--key", key.toString()));
            if (!passphrase.isEmpty()) {
                Claw.Result wrong = Claw.run(env("state-ssh", "KEY_PASS", "wrong"), null,
                        "plugins", "sign", copy.toString(), "--key", key.toString(), "--passphrase-env", "KEY_PASS");
                assertThat(wrong.exit()).isEqualTo(2);
                assertThat(wrong.out()).contains("wrong passphrase");
                assertThat(copy.resolveSibling(name + ".jar.sig")).doesNotExist();
                sign.addAll(List.of("--passphrase-env", "KEY_PASS"));
            }
            Claw.Result signed = Claw.run(env, null, sign.toArray(String[]::new));
            assertThat(signed.exit()).as(signed.out()).isZero();
            ids.put(name, signed.out().replaceAll("(?s).*with key ([0-9a-f]{64}).*", "$1"));
        }
        Claw.Result before = Claw.run(env, null, "plugins", "verify", jars.toString());
        assertThat(before.exit()).as(before.out()).isEqualTo(1);
        assertThat(before.out().split("UNTRUSTED_KEY", -1)).hasSize(3);

        for (String name : List.of("plain", "locked")) {
            Claw.Result trust = Claw.run(env, null, "trust", "add", tmp.resolve("ssh-" + name + "/id_ed25519.pub").toString(),
                    "--name", name);
            assertThat(trust.exit()).as(trust.out()).isZero();
            assertThat(trust.out()).as("the .pub's id is the signing key's id").contains(ids.get(name));
        }
        Claw.Result after = Claw.run(env, null, "plugins", "verify", jars.toString());
        assertThat(after.exit()).as(after.out()).isZero();
        assertThat(after.out().split("TRUSTED, signature valid", -1)).hasSize(3);
    }

    @Test
    void encryptedKeysRoundTripAndAWrongPassphraseChangesNothing() throws Exception {
        Path keys = tmp.resolve("enc-keys");
        Map<String, String> env = env("state-enc", "PUB_PASS", "first passphrase");
        Claw.Result gen = Claw.run(env, null, "keys", "generate", "--out", keys.toString(), "--name", "alice",
                "--passphrase-env", "PUB_PASS");
        assertThat(gen.exit()).as(gen.out()).isZero();
        assertThat(gen.out()).contains("encrypted");
        Path key = keys.resolve("alice.key");
        assertThat(Files.readString(key)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String id = keyId(gen);

        byte[] before = Files.readAllBytes(key);
        Path wrongFile = Files.writeString(tmp.resolve("wrong-pass"), "not it\n");
        Claw.Result wrong = Claw.run(env, null, "keys", "decrypt", key.toString(), "--passphrase-file", wrongFile.toString());
        assertThat(wrong.exit()).as(wrong.out()).isNotZero();
        assertThat(wrong.out()).contains("wrong passphrase").contains("nothing changed");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);

        Path passFile = Files.writeString(tmp.resolve("pass"), "first passphrase\n");
        Claw.Result decrypt = Claw.run(env, null, "keys", "decrypt", key.toString(), "--passphrase-file", passFile.toString());
        assertThat(decrypt.exit()).as(decrypt.out()).isZero();
        assertThat(Files.readString(key)).contains("BEGIN PRIVATE KEY");
        Claw.Result encrypt = Claw.run(env("state-enc", "NEW_PASS", "second passphrase"), null, "keys", "encrypt", key.toString(),
                "--passphrase-env", "NEW_PASS");
        assertThat(encrypt.exit()).as(encrypt.out()).isZero();
        assertThat(encrypt.out()).contains(id);
        assertThat(Files.readString(key)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        Claw.Result sign = Claw.run(env("state-enc", "NEW_PASS", "second passphrase"), null, "plugins", "sign", jar.toString(),
                "--key", key.toString(), "--passphrase-env", "NEW_PASS");
        assertThat(sign.exit()).as(sign.out()).isZero();
        assertThat(sign.out()).contains(id);

        // A registry published from CI with the same encrypted key: no terminal, the passphrase from the environment.
        Path registry = tmp.resolve("enc-registry");
        Claw.Result refused = Claw.run(env("state-enc", "NEW_PASS", "wrong"), null, "registry", "publish", jar.toString(),
                "--registry", registry.toString(), "--key", key.toString(), "--passphrase-env", "NEW_PASS");
        assertThat(refused.exit()).as(refused.out()).isEqualTo(2);
        assertThat(refused.out()).contains("wrong passphrase");
        assertThat(registry.resolve("index.json")).doesNotExist();
        Claw.Result published = Claw.run(env("state-enc", "NEW_PASS", "second passphrase"), null, "registry", "publish",
                jar.toString(), "--registry", registry.toString(), "--key", key.toString(), "--passphrase-env", "NEW_PASS");
        assertThat(published.exit()).as(published.out()).isZero();
        assertThat(published.out()).contains("published").contains("index serial 1");
    }

    @Test
    void rotationNewKeyRefusedBeforeTheStatementAcceptedAfterOldRefusedAfterTheGracePeriod() throws Exception {
        Path keys = tmp.resolve("rot-keys");
        Map<String, String> env = env("state-rot");
        KeyPair oldPair = Keys.generate();
        KeyPair newPair = Keys.generate();
        Keys.write(oldPair, keys, "old");
        Keys.write(newPair, keys, "new");
        String oldId = Keys.keyId(oldPair.getPublic());
        String newId = Keys.keyId(newPair.getPublic());
        assertThat(Claw.run(env, null, "trust", "add", keys.resolve("old.pub").toString(), "--name", "acme").exit()).isZero();

        Path byOld = Files.createDirectories(tmp.resolve("by-old")).resolve("keyed.jar");
        Files.copy(jar, byOld);
        Files.write(byOld.resolveSibling("keyed.jar.sig"), PluginSigner.sign(Files.readAllBytes(byOld), oldPair.getPrivate(),
                oldPair.getPublic(), Instant.now()).toBytes());
        Path byNew = Files.createDirectories(tmp.resolve("by-new")).resolve("keyed.jar");
        Files.copy(jar, byNew);
        Path jar = byNew;
        assertThat(Claw.run(env, null, "plugins", "sign", jar.toString(), "--key", keys.resolve("new.key").toString()).exit()).isZero();
        Claw.Result newBefore = Claw.run(env, null, "plugins", "verify", jar.toString());
        assertThat(newBefore.exit()).as(newBefore.out()).isEqualTo(1);
        assertThat(newBefore.out()).contains("UNTRUSTED_KEY");

        // A statement OLD signed alone (NEW's signature swapped for OLD's) is refused, and changes nothing.
        Path statement = tmp.resolve("rotation.json");
        Claw.Result rotate = Claw.run(env, null, "keys", "rotate", "--old", keys.resolve("old.key").toString(),
                "--new", keys.resolve("new.key").toString(), "--grace", "0", "--out", statement.toString());
        assertThat(rotate.exit()).as(rotate.out()).isZero();
        String json = Files.readString(statement);
        String oldSig = json.replaceAll("(?s).*\"oldSignature\" : \"([^\"]+)\".*", "$1");
        String newSig = json.replaceAll("(?s).*\"newSignature\" : \"([^\"]+)\".*", "$1");
        Path forged = Files.writeString(tmp.resolve("forged.json"), json.replace(newSig, oldSig));
        Claw.Result refused = Claw.run(env, null, "trust", "rotate", forged.toString());
        assertThat(refused.exit()).as(refused.out()).isEqualTo(1);
        assertThat(refused.out()).contains("BAD_SIGNATURE").contains("both keys must sign");
        assertThat(Claw.run(env, null, "plugins", "verify", jar.toString()).exit()).isEqualTo(1);

        Claw.Result installed = Claw.run(env, null, "trust", "rotate", statement.toString());
        assertThat(installed.exit()).as(installed.out()).isZero();
        Claw.Result newAfter = Claw.run(env, null, "plugins", "verify", jar.toString());
        assertThat(newAfter.exit()).as(newAfter.out()).isZero();
        Claw.Result oldAfter = Claw.run(env, null, "plugins", "verify", byOld.toString());
        assertThat(oldAfter.exit()).as("grace 0: OLD is refused at once; " + oldAfter.out()).isEqualTo(1);
        assertThat(oldAfter.out()).contains("UNTRUSTED_KEY").contains("grace period ended");

        Claw.Result list = Claw.run(env, null, "trust", "list");
        assertThat(list.out()).contains("rotations:").contains("acme  " + oldId + " -> " + newId + "  old key retired")
                .contains("acme  " + newId);
    }

    /** On a terminal (a pty from util-linux's script) generate encrypts by default and the passphrase is not echoed. */
    @Test
    void onATerminalGenerateAsksForAPassphraseWithoutEchoAndEncrypts() throws Exception {
        Path keys = tmp.resolve("tty-keys");
        String secret = "typed-not-echoed-42";
        String cmd = Claw.REPO.resolve("claw") + " keys generate --out " + keys + " --name tty";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true);
        pb.environment().put("CLAW_NO_BUILD", "1");
        pb.environment().put("OPENCLAW_STATE_DIR", tmp.resolve("state-tty").toString());
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        try (var in = p.getInputStream(); var out = p.getOutputStream()) {
            readUntil(in, seen, "new passphrase for");
            int promptEnd = seen.length();
            out.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            readUntil(in, seen, "the same passphrase again");
            out.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            readUntil(in, seen, "key id:");
            seen.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(seen.substring(promptEnd)).as("typed passphrase echoed: " + seen).doesNotContain(secret);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(seen.toString()).isZero();
        assertThat(seen).contains("encrypted;");
        assertThat(Files.readString(keys.resolve("tty.key"))).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(ai.clawbot.signing.KeyFiles.readPair(keys.resolve("tty.key"),
                ai.clawbot.signing.Passphrase.of(secret.toCharArray())).getPublic()).isNotNull();
    }

    private static void readUntil(java.io.InputStream in, StringBuilder seen, String marker) throws Exception {
        while (!seen.toString().contains(marker)) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("ended before '" + marker + "': " + seen);
            }
            seen.append((char) c);
        }
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}

package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's and operator's happy path with the real {@code claw} commands, then the gateway sees it. */
class PluginCliIT {

    @TempDir
    Path tmp;

    @Test
    void signWithANewKeyTrustItInstallAndTheSkillAppearsWithItsSigner() throws Exception {
        Path state = tmp.resolve("state");
        Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.toString());
        Path jar = TestPluginJar.of("notes2", "1.2.0", """
                id: notes2
                version: 1.2.0
                description: Another notes skill.
                tools:
                  - name: list
                    description: List notes.
                    effect: read
                    input: {type: object}
                sandbox: {image: clawbot/skill-jre:17}
                permissions: {workspace: ro}
                network: {allow: ["api.example.com:443"]}
                """, "n.Notes", """
                package n;
                import ai.clawbot.plugin.api.*;
                import java.util.Map;
                public class Notes implements Skill {
                    public Map<String, ToolHandler> tools() { return Map.of("list", (a, c) -> ToolResult.text("none")); }
                }
                """).build(Files.createDirectories(tmp.resolve("build")));

        Claw.Result gen = Claw.run(env, null, "keys", "generate", "--out", tmp.resolve("keys").toString(), "--name", "alice");
        assertThat(gen.exit()).as(gen.out()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys/alice.key")))).isEqualTo("rw-------");
        String keyId = gen.out().replaceAll("(?s).*key id:\\s+([0-9a-f]{64}).*", "$1");
        assertThat(keyId).matches("[0-9a-f]{64}");

        Claw.Result sign = Claw.run(env, null, "plugins", "sign", jar.toString(), "--key", tmp.resolve("keys/alice.key").toString());
        assertThat(sign.exit()).as(sign.out()).isZero();
        assertThat(Files.exists(jar.resolveSibling("notes2.jar.sig"))).isTrue();

        Claw.Result untrusted = Claw.run(env, null, "plugins", "verify", jar.toString());
        assertThat(untrusted.exit()).as(untrusted.out()).isEqualTo(1);
        assertThat(untrusted.out()).contains("NOT TRUSTED: UNTRUSTED_KEY").contains(keyId);

        Claw.Result trust = Claw.run(env, null, "trust", "add", tmp.resolve("keys/alice.pub").toString(), "--name", "alice");
        assertThat(trust.exit()).as(trust.out()).isZero();

        Claw.Result verified = Claw.run(env, null, "plugins", "verify", jar.toString());
        assertThat(verified.exit()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("notes2 1.2.0").contains("signed by alice (" + keyId + ")")
                .contains("workspace: ro").contains("network: api.example.com:443").contains("TRUSTED, signature valid");

        Claw.Result unconfirmed = Claw.run(env, "", "plugins", "install", jar.toString());
        assertThat(unconfirmed.exit()).isEqualTo(1);
        assertThat(unconfirmed.out()).contains("network: api.example.com:443").contains("not confirmed");
        Claw.Result declined = Claw.run(env, "n\n", "plugins", "install", jar.toString());
        assertThat(declined.exit()).isEqualTo(1);
        assertThat(Files.exists(state.resolve("plugins/notes2-1.2.0.jar"))).isFalse();

        Claw.Result confirmed = Claw.run(env, "y\n", "plugins", "install", jar.toString());
        assertThat(confirmed.exit()).as(confirmed.out()).isZero();
        assertThat(confirmed.out()).contains("installed notes2 1.2.0");

        Claw.Result list = Claw.run(env, null, "plugins", "list");
        assertThat(list.out()).contains("notes2 1.2.0  enabled   signer alice (" + keyId + ")");

        Claw.Result trustList = Claw.run(env, null, "trust", "list");
        assertThat(trustList.out()).contains("alice  " + keyId).contains("notes2 >= 1.2.0");

        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(gw.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode skills = c.request("skills.list").at("/payload/skills");
            JsonNode notes = null;
            for (JsonNode s : skills) {
                if (s.path("id").asText().equals("notes2")) {
                    notes = s;
                }
            }
            assertThat(notes).as(skills.toString()).isNotNull();
            assertThat(notes.at("/signer/name").asText()).isEqualTo("alice");
            assertThat(notes.at("/signer/keyId").asText()).isEqualTo(keyId);
            assertThat(notes.at("/network/allow/0").asText()).isEqualTo("api.example.com:443");
        }

        // A key others can read is refused for signing.
        Files.setPosixFilePermissions(tmp.resolve("keys/alice.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Claw.Result loose = Claw.run(env, null, "plugins", "sign", jar.toString(), "--key", tmp.resolve("keys/alice.key").toString());
        assertThat(loose.exit()).isEqualTo(2);
        assertThat(loose.out()).contains("readable by others");

        // A registry index of the signed jar, signed by alice, verifies; an older serial afterwards does not.
        Files.setPosixFilePermissions(tmp.resolve("keys/alice.key"), PosixFilePermissions.fromString("rw-------"));
        Path repo = jar.getParent();
        assertThat(Claw.run(env, null, "registry", "index", repo.toString(), "--key", tmp.resolve("keys/alice.key").toString(),
                "--serial", "5").exit()).isZero();
        Claw.Result idx = Claw.run(env, null, "registry", "verify", repo.resolve("index.json").toString());
        assertThat(idx.exit()).as(idx.out()).isZero();
        assertThat(idx.out()).contains("serial 5 signed by alice").contains("notes2 1.2.0");
        assertThat(Claw.run(env, null, "registry", "index", repo.toString(), "--key", tmp.resolve("keys/alice.key").toString(),
                "--serial", "4").exit()).isZero();
        Claw.Result old = Claw.run(env, null, "registry", "verify", repo.resolve("index.json").toString());
        assertThat(old.exit()).isEqualTo(1);
        assertThat(old.out()).contains("REFUSED ROLLBACK");

        Claw.Result revoke = Claw.run(env, null, "trust", "revoke", keyId, "--reason", "test");
        assertThat(revoke.exit()).isZero();
        Claw.Result after = Claw.run(env, null, "plugins", "list");
        assertThat(after.out()).contains("REFUSED  REVOKED_KEY");
    }
}

package ai.clawbot.plugin.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

    private static final String HEAD = """
            id: notes
            version: 1.0.0
            description: d
            tools:
              - name: lookup
                description: Look up.
                effect: external
                input: { type: object }
            sandbox: { image: clawbot/skill-jre:17 }
            permissions:
              workspace: ro
              secrets: [API_TOKEN]
              resources: { memory: 512k, timeout: 2m }
            """;

    private static SkillManifest read(String yaml) throws IOException {
        return ManifestReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void networkNoneBindsToAnEmptyAllowlist() throws Exception {
        NetworkPolicy n = read(HEAD + "network: none\n").network();

        assertThat(n.isNone()).isTrue();
        assertThat(n).isEqualTo(NetworkPolicy.none());
    }

    @Test
    void networkAllowBindsTheHostPortList() throws Exception {
        NetworkPolicy n = read(HEAD + "network:\n  allow: [\"api.example.com:443\", \"10.0.0.5:8080\"]\n").network();

        assertThat(n.isNone()).isFalse();
        assertThat(n.allow()).containsExactly("api.example.com:443", "10.0.0.5:8080");
    }

    @Test
    void missingNetworkMeansNone() throws Exception {
        assertThat(read(HEAD).network().isNone()).isTrue();
    }

    @Test
    void allowlistIsImmutable() throws Exception {
        List<String> allow = read(HEAD + "network: { allow: [\"a.example:1\"] }\n").network().allow();

        assertThatThrownBy(() -> allow.add("b.example:2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void networkPolicyWritesBackInTheManifestForm() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(json.writeValueAsString(NetworkPolicy.none())).isEqualTo("\"none\"");
        assertThat(json.writeValueAsString(new NetworkPolicy(List.of("a.example:443")))).isEqualTo("{\"allow\":[\"a.example:443\"]}");
    }

    @Test
    void bindsEffectWorkspaceSecretsAndResources() throws Exception {
        SkillManifest m = read(HEAD + "network: none\n");

        assertThat(m.tool("lookup").orElseThrow().effect()).isEqualTo(Effect.EXTERNAL);
        assertThat(m.tool("lookup").orElseThrow().input().toString()).isEqualTo("{\"type\":\"object\"}");
        assertThat(m.permissions().workspace()).isEqualTo(WorkspaceAccess.RO);
        assertThat(m.permissions().secrets()).containsExactly("API_TOKEN");
        assertThat(m.permissions().resources().memoryBytes()).isEqualTo(512L * 1024);
        assertThat(m.permissions().resources().timeoutDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(m.permissions().resources().pids()).isEqualTo(64);
        assertThat(m.sandbox().image()).isEqualTo("clawbot/skill-jre:17");
    }

    @Test
    void unknownPropertyIsRefusedWhenBinding() {
        assertThatThrownBy(() -> read(HEAD + "autostart: true\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("autostart");
    }

    @Test
    void emptyInputIsRefused() {
        assertThatThrownBy(() -> ManifestReader.readTree(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IOException.class)
                .hasMessage("manifest is empty");
    }

    @Test
    void enumsUseTheirLowercaseWireNames() {
        assertThat(Effect.SECRET.wire()).isEqualTo("secret");
        assertThat(WorkspaceAccess.RW.wire()).isEqualTo("rw");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "tools: [{ name: a, description: d, effect: delete, input: {type: object} }]|$.tools[0].effect: expected one of read, write, external, secret",
        "tools: [{ name: a, description: d, effect: read, input: {type: object}, runAs: root }]|$.tools[0]: unknown field 'runAs'",
        "tools: { name: a }|$.tools: expected a list",
        "sandbox: { image: 17 }|$.sandbox.image: expected a string",
        "permissions: { resources: { cpus: two } }|$.permissions.resources.cpus: expected a number",
        "permissions: { workspace: all }|$.permissions.workspace: expected one of none, ro, rw",
        "network: all|$.network: expected 'none' or an object",
        "network: { grants: [{ setting: s, ports: [http] }] }|$.network.grants[0].ports[0]: expected a port number",
        "network: { grants: [{ setting: s, anyHost: yes please }] }|$.network.grants[0].anyHost: expected true or false",
        "tools: [{ name: a, description: d, effect: read, input: {type: object}, approval: {} }]|$.tools[0].approval.preview: missing",
    })
    void aBadFieldIsRefusedNamingItsPath(String yaml, String message) {
        String head = "id: notes\nversion: 1.0.0\ndescription: d\n";
        assertThatThrownBy(() -> read(head + yaml + "\n"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(message);
    }
}

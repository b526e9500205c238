package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.manifests.ManifestCheck.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A manifest's {@code settings:} schema and {@code network.grants}: the shapes the mail, mcporter, 1Password and
 * registry skills need are accepted; a schema that does not compile, a remote reference, a grant naming an
 * undeclared or non-string setting are refused with the JSON path; operator values are checked with paths,
 * {@code hostport}/{@code uri} formats asserted, defaults filled in.
 */
class ManifestSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mail's settings: imap/smtp host:port, a security mode, a user; mcporter's server map; a registry URL. */
    static final String SETTINGS = """
            settings:
              type: object
              additionalProperties: false
              required: [imap]
              properties:
                imap:
                  type: string
                  format: hostport
                  description: the IMAP server
                smtp: { type: string, format: hostport }
                security: { enum: [tls, starttls, none], default: tls }
                user: { type: string }
                registry: { type: string, format: uri }
                mcpServers:
                  type: object
                  additionalProperties:
                    type: object
                    properties:
                      command: { type: string }
                      args: { type: array, items: { type: string } }
                      baseUrl: { type: string, format: uri }
                      headers: { type: object, additionalProperties: { type: string } }
                limits:
                  type: object
                  properties:
                    pageSize: { type: integer, minimum: 1, default: 25 }
            """;

    static final String GRANTS = """
            network:
              grants:
                - setting: imap
                  ports: [993, 143]
                  description: your IMAP server
                - setting: registry
                  schemes: [https]
                  description: your plugin registry
            """;

    private static String manifest(String settings, String network) {
        return ManifestValidatorInvalidTest.BASE.replace("network: none\n", network) + settings;
    }

    private static ManifestCheck check(String yaml) {
        return ManifestValidator.create().validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Violation> violations(String yaml) {
        ManifestCheck c = check(yaml);
        assertThat(c).as(c.toString()).isInstanceOf(Invalid.class);
        return ((Invalid) c).violations();
    }

    @Test
    void settingsAndGrantsForTheComingSkillsAreAccepted() {
        ManifestCheck c = check(manifest(SETTINGS, GRANTS));
        assertThat(c).as(c.toString()).isInstanceOf(Valid.class);
        var m = ((Valid) c).manifest();
        assertThat(m.settingsSchema()).isPresent();
        assertThat(m.network().allow()).isEmpty();
        assertThat(m.network().grants()).hasSize(2);
        assertThat(m.network().grants().get(0).ports()).containsExactly(993, 143);
        assertThat(m.network().isNone()).isFalse();
    }

    @Test
    void aSettingsSchemaThatDoesNotCompileOrReachesOutIsRefused() {
        assertThat(violations(manifest(SETTINGS.replace("format: hostport\n      description", "pattern: \"([\"\n      description"), GRANTS)))
                .extracting(Violation::path).contains("$.settings");
        assertThat(violations(manifest(SETTINGS.replace("user: { type: string }", "user: { $ref: \"https://evil.example/s.json\" }"), GRANTS)))
                .anySatisfy(v -> {
                    assertThat(v.path()).isEqualTo("$.settings");
                    assertThat(v.reason()).contains("only local references");
                });
        assertThat(violations(manifest("settings: { type: array }\n", "network: none\n")))
                .extracting(Violation::path).contains("$.settings.type");
    }

    @Test
    void aGrantMustNameADeclaredStringSetting() {
        assertThat(violations(manifest(SETTINGS, GRANTS.replace("setting: imap", "setting: pop3"))))
                .containsExactly(new Violation("$.network.grants[0].setting", "no setting 'pop3' is declared under settings.properties"));
        assertThat(violations(manifest(SETTINGS, GRANTS.replace("setting: imap", "setting: limits"))))
                .extracting(Violation::path).containsExactly("$.network.grants[0].setting");
        assertThat(violations(manifest("", GRANTS))).extracting(Violation::path)
                .containsExactly("$.network.grants[0].setting", "$.network.grants[1].setting");
        assertThat(violations(manifest(SETTINGS, GRANTS.replace("description: your IMAP server", "description: x\n      anyHost: maybe"))))
                .extracting(Violation::path).contains("$.network.grants[0].anyHost");
    }

    @Test
    void operatorValuesAreCheckedWithJsonPathsAndFormatsAsserted() throws Exception {
        JsonNode schema = ((Valid) check(manifest(SETTINGS, GRANTS))).manifest().settings();
        SkillSettings s = SkillSettings.create();
        String base = "$.plugins.entries.notes.config";
        assertThat(s.check(schema, JSON.readTree("""
                {"imap": "mail.example.com:993", "security": "starttls", "registry": "https://reg.example/",
                 "mcpServers": {"fs": {"command": "npx", "args": ["-y", "x"], "headers": {"Authorization": "Bearer t"}}}}
                """), base)).isEmpty();
        List<Violation> bad = s.check(schema, JSON.readTree("""
                {"imap": "mail.example.com", "security": "ssl", "registry": "not a uri", "extra": 1,
                 "mcpServers": {"fs": {"args": "npx"}}, "limits": {"pageSize": 0}}
                """), base);
        assertThat(bad).extracting(Violation::path).containsExactlyInAnyOrder(
                base + ".imap", base + ".security", base + ".registry", base + ".extra",
                base + ".mcpServers.fs.args", base + ".limits.pageSize");
        assertThat(s.check(schema, JSON.readTree("{}"), base)).extracting(Violation::path).containsExactly(base + ".imap");
        assertThat(s.check(schema, JSON.readTree("{\"imap\": \"h:70000\"}"), base)).extracting(Violation::path)
                .containsExactly(base + ".imap");
    }

    @Test
    void defaultsAreFilledInWherePropertiesAreAbsent() throws Exception {
        JsonNode schema = ((Valid) check(manifest(SETTINGS, GRANTS))).manifest().settings();
        assertThat(SkillSettings.withDefaults(schema, JSON.readTree("{\"imap\": \"m:993\", \"limits\": {}}")))
                .isEqualTo(JSON.readTree("{\"imap\": \"m:993\", \"limits\": {\"pageSize\": 25}, \"security\": \"tls\"}"));
        assertThat(SkillSettings.withDefaults(schema, JSON.readTree("{\"security\": \"none\"}")).path("security").asText())
                .isEqualTo("none");
        assertThat(SkillSettings.withDefaults(schema, null).path("security").asText()).isEqualTo("tls");
    }
}

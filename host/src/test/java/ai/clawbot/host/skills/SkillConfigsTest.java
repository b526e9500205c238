package ai.clawbot.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.sandbox.egress.EgressGrant;
import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.plugin.manifest.SkillManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's {@code plugins.entries.<id>} read against a signed manifest: settings validated with JSON paths,
 * defaults and the old string map merged, and granted endpoints kept within the grant's ports, schemes and any-host
 * bound; options for undeclared grants refused.
 */
class SkillConfigsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MAIL = """
            id: mail
            version: 1.0.0
            description: Mail.
            tools:
              - { name: list, description: List mail., effect: read, input: { type: object } }
            sandbox: { image: "clawbot/skill-jre:17" }
            permissions: { workspace: none }
            network:
              allow: ["fixed.example.com:443"]
              grants:
                - { setting: imap, ports: [993, 143], description: your IMAP server }
                - { setting: registry, schemes: [https], description: your registry }
            settings:
              type: object
              additionalProperties: false
              properties:
                imap: { type: string, format: hostport }
                registry: { type: string, format: uri }
                security: { enum: [tls, starttls], default: tls }
            """;

    private static SkillManifest mail() {
        ManifestCheck c = ManifestValidator.create().validate(MAIL.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(c).as(c.toString()).isInstanceOf(ManifestCheck.Valid.class);
        return ((ManifestCheck.Valid) c).manifest();
    }

    private static SkillConfig resolve(String plugins) throws Exception {
        return SkillConfigs.resolve(mail(), JSON.readTree(plugins));
    }

    @Test
    void grantedEndpointsWithinTheBoundsBecomeEgressGrants() throws Exception {
        SkillConfig c = resolve("""
                {"entries": {"mail": {"settings": {"user": "ann", "security": "old"},
                  "config": {"imap": "Mail.Example.com:993", "registry": "https://reg.example.org/index"},
                  "grants": {"imap": {"allowPrivate": true}}}}}
                """);
        assertThat(c.problems()).isEmpty();
        assertThat(c.grants()).containsExactly(
                new EgressGrant("mail.example.com", 993, "plugins.entries.mail.config.imap", true),
                new EgressGrant("reg.example.org", 443, "plugins.entries.mail.config.registry", false));
        // The old string map underneath, config and defaults over it.
        assertThat(c.settings()).isEqualTo(JSON.readTree("""
                {"user": "ann", "security": "tls", "imap": "Mail.Example.com:993", "registry": "https://reg.example.org/index"}
                """));
    }

    @Test
    void valuesOutsideTheSignedBoundsAreProblemsWithPathsAndGrantNothing() throws Exception {
        SkillConfig c = resolve("""
                {"entries": {"mail": {"config": {"imap": "mail.example.com:25", "registry": "http://reg.example.org/"}}}}
                """);
        assertThat(c.grants()).isEmpty();
        assertThat(c.problems()).extracting(ConfigProblem::path)
                .containsExactly("$.plugins.entries.mail.config.imap", "$.plugins.entries.mail.config.registry");
        assertThat(c.problems().get(0).message()).contains("port 25 is not granted");
        assertThat(c.problems().get(1).message()).contains("scheme 'http' is not granted");

        assertThat(resolve("{\"entries\": {\"mail\": {\"config\": {\"imap\": \"*:993\"}}}}").problems())
                .extracting(ConfigProblem::message).containsExactly("'*' (any host) is not allowed for this grant");
        assertThat(resolve("{\"entries\": {\"mail\": {\"config\": {\"imap\": \"mail\"}}}}").problems())
                .extracting(ConfigProblem::path).containsExactly("$.plugins.entries.mail.config.imap");
        assertThat(resolve("{\"entries\": {\"mail\": {\"grants\": {\"smtp\": {\"allowPrivate\": true}, \"imap\": {\"allow\": 1}}}}}")
                .problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("$.plugins.entries.mail.grants.smtp", "$.plugins.entries.mail.grants.imap.allow");
    }

    @Test
    void aFixedHostIsNotGrantedTwiceAndAConfiguredSkillWidensOnlyByItsGrants() throws Exception {
        SkillConfig c = resolve("{\"entries\": {\"mail\": {\"config\": {\"registry\": \"https://fixed.example.com\"}}}}");
        assertThat(c.grants()).isEmpty();
        SkillConfig granted = resolve("{\"entries\": {\"mail\": {\"config\": {\"imap\": \"10.0.0.2:143\"}}}}");
        LoadedSkill skill = new LoadedSkill(mail(), "k", "n", Path.of("mail.jar"), Path.of("mail.jar"), "h").configured(granted);
        assertThat(skill.manifest().network().allow()).containsExactly("fixed.example.com:443", "10.0.0.2:143");
        assertThat(skill.withManifest(mail()).config()).isEqualTo(granted);
    }

    @Test
    void theConfigSchemaCarriesEachSkillsSettings() {
        JsonNode schema = SkillConfigs.schemaWith(JSON.createObjectNode(), List.of(mail()));
        assertThat(schema.at("/properties/plugins/properties/entries/properties/mail/properties/config/properties/imap/format").asText())
                .isEqualTo("hostport");
        assertThat(schema.at("/skills/mail/grants/0/setting").asText()).isEqualTo("imap");
    }

    @Test
    void theShippedWebManifestGrantsAnyPublicHostOnlyAsWritten() throws Exception {
        ManifestCheck c = ManifestValidator.create().validate(Files.readAllBytes(Path.of("../skill-manifests/manifests/web/skill.yaml")));
        SkillManifest web = ((ManifestCheck.Valid) c).manifest();
        SkillConfig any = SkillConfigs.resolve(web, JSON.readTree("""
                {"entries": {"web": {"config": {"sites": ["*:443", "docs.example.com:443"], "search_url": "https://searx.example.org/"}}}}
                """));
        assertThat(any.problems()).isEmpty();
        assertThat(any.grants()).extracting(EgressGrant::toString)
                .containsExactly("*:443", "docs.example.com:443", "searx.example.org:443");
        assertThat(any.grants().get(0).anyHost()).isTrue();
        var preview = new PluginPreview(web, "key", "bundled", "sha", new byte[0], new byte[0]).describe();
        assertThat(preview).contains("operator may grant: setting 'sites'").contains("or any public host (*)")
                .contains("operator may grant: setting 'search_url'").contains("schemes [http, https]");
    }

    @Test
    void theShippedMcporterManifestTakesHeaderReferencesAndRefusesALiteralWithItsPath() throws Exception {
        ManifestCheck c = ManifestValidator.create().validate(Files.readAllBytes(Path.of("../skill-manifests/manifests/mcporter/skill.yaml")));
        assertThat(c).as(c.toString()).isInstanceOf(ManifestCheck.Valid.class);
        SkillManifest mcporter = ((ManifestCheck.Valid) c).manifest();
        SkillConfig references = SkillConfigs.resolve(mcporter, JSON.readTree("""
                {"entries": {"mcporter": {"config": {"mcpServers": {"tools": {"baseUrl": "http://127.0.0.1:3001/mcp",
                  "headers": {"Authorization": "Bearer ${secret:MCP_TOKEN}", "X-Api-Key": "op://Private/Tools MCP/credential",
                              "X-Other": "Token ${op://Private/Tools/section/field?attribute=otp} for ${secret:USER.name}"}}}}}}}
                """));
        assertThat(references.problems()).isEmpty();

        SkillConfig literal = SkillConfigs.resolve(mcporter, JSON.readTree("""
                {"entries": {"mcporter": {"config": {"mcpServers": {"tools": {"baseUrl": "http://127.0.0.1:3001/mcp",
                  "headers": {"Authorization": "Bearer sk-in-clear", "X-Bad": "${secret:not a name}", "X-Ok": "op://V/I/f"}}}}}}}
                """));
        assertThat(literal.problems()).extracting(ConfigProblem::toString).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("$.plugins.entries.mcporter.config.mcpServers.tools.headers.Authorization")
                        .contains("literal credential").contains("${secret:NAME}").contains("op://"))
                .anySatisfy(p -> assertThat(p).contains("headers.X-Bad"))
                .allSatisfy(p -> assertThat(p).doesNotContain("sk-in-clear"));
    }
}

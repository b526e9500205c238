package ai.clawbot.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.BundledPlugins;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per audit finding, each on a state folder made bad in exactly that way. */
class SecurityAuditTest {

    @TempDir
    Path tmp;
    StateDir state;

    @BeforeEach
    void owners() throws Exception {
        state = new StateDir(tmp.resolve("state"));
        Files.createDirectories(state.root());
        Files.setPosixFilePermissions(state.root(), PosixFilePermissions.fromString("rwx------"));
    }

    private static Finding only(AuditReport r, String id) {
        List<Finding> f = r.withId(id);
        assertThat(f).as(r.toText()).hasSize(1);
        return f.get(0);
    }

    @Test
    void aNonLoopbackBindIsAWarning() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"bind\":\"lan\"}}");
        AuditReport r = BadStates.audit(state);
        Finding f = only(r, BindCheck.ID);
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.title()).contains("0.0.0.0");
        assertThat(f.fix()).contains("loopback");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void aShortTokenIsWeakAndItsValueIsNeverShown() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"auth\":{\"token\":\"Qx7-kP2_mZ9-aB4w\"}}}");
        AuditReport r = BadStates.audit(state);
        Finding f = only(r, TokenCheck.TOO_SHORT);
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.detail()).contains("16 characters");
        assertThat(r.toJson().toString()).doesNotContain("Qx7-kP2_mZ9-aB4w");
    }

    @Test
    void aDefaultTokenIsWeakEvenWhenLongAndFromTheEnvironment() throws Exception {
        BadStates.config(state, "{}");
        Finding f = only(BadStates.audit(state, Map.of("OPENCLAW_GATEWAY_TOKEN", "changeme-changeme-changeme-2026")),
                TokenCheck.PLACEHOLDER);
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.detail()).contains("OPENCLAW_GATEWAY_TOKEN").contains("changeme");
        assertThat(TokenCheck.weakness("ab12ab12ab12ab12ab12ab12ab12ab12").checkId()).isEqualTo(TokenCheck.LOW_ENTROPY);
        assertThat(TokenCheck.weakness("kQ3vX9_pLm2Rz8Wn4Ty7Bc1Hd6Jf5Gs0Ae")).isNull();
    }

    @Test
    void authOffIsCritical() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"auth\":{\"mode\":\"none\"}}}");
        assertThat(only(BadStates.audit(state), AuthModeCheck.ID).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aStarOriginIsCriticalAndAPlainHttpRemoteOriginAWarning() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"controlUi\":{\"allowedOrigins\":[\"*\",\"http://192.168.1.5:8080\","
                + "\"https://ui.example\",\"http://127.0.0.1:5173\"]}}}");
        AuditReport r = BadStates.audit(state);
        assertThat(only(r, AllowedOriginsCheck.WILDCARD).severity()).isEqualTo(Severity.CRITICAL);
        Finding http = only(r, AllowedOriginsCheck.PLAIN_HTTP);
        assertThat(http.severity()).isEqualTo(Severity.WARN);
        assertThat(http.title()).contains("http://192.168.1.5:8080");
    }

    @Test
    void theV1EndpointsOnAreAWarning() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}}}}");
        assertThat(only(BadStates.audit(state), OpenAiEndpointsCheck.ID).severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void theMcpEndpointOnIsAWarning() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"http\":{\"endpoints\":{\"mcp\":{\"enabled\":true}}}}}");
        assertThat(only(BadStates.audit(state), McpEndpointCheck.ID).severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void aGroupReadableStateFolderIsAWarning() throws Exception {
        Files.setPosixFilePermissions(state.root(), PosixFilePermissions.fromString("rwxr-x---"));
        Finding f = only(BadStates.audit(state), "fs.state_dir.perms_readable");
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.fix()).startsWith("chmod go-rwx " + state.root());
    }

    @Test
    void aWorldReadableConfigIsAWarning() throws Exception {
        BadStates.config(state, "{}");
        Files.setPosixFilePermissions(state.configFile(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(only(BadStates.audit(state), "fs.config.perms_readable").detail()).contains("rw-r--r--");
    }

    @Test
    void aReadableVaultKeyIsAWarningAndAWritableVaultCritical() throws Exception {
        Path secrets = state.root().resolve("secrets");
        Files.createDirectories(secrets);
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(secrets.resolve("vault.key"), "k");
        Files.setPosixFilePermissions(secrets.resolve("vault.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(secrets.resolve("vault.json"), "{}");
        Files.setPosixFilePermissions(secrets.resolve("vault.json"), PosixFilePermissions.fromString("rw-rw-rw-"));
        AuditReport r = BadStates.audit(state);
        assertThat(only(r, "fs.vault_key.perms_readable").severity()).isEqualTo(Severity.WARN);
        assertThat(only(r, "fs.secrets.perms_writable").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aWritableTrustedKeyAndAReadablePrivateKeyAreReported() throws Exception {
        KeyPair k = Keys.generate();
        TrustStore.open(state.trust()).add(k.getPublic(), "acme");
        Files.setPosixFilePermissions(state.trust().resolve("keys/acme.pem"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Keys.write(k, state.root().resolve("keys"), "publisher");
        Files.setPosixFilePermissions(state.root().resolve("keys/publisher.key"), PosixFilePermissions.fromString("rw-r--r--"));
        AuditReport r = BadStates.audit(state);
        Finding pem = only(r, "fs.key_files.perms_writable");
        assertThat(pem.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(pem.detail()).contains("acme.pem");
        Finding key = only(r, "fs.key_files.perms_readable");
        assertThat(key.severity()).isEqualTo(Severity.WARN);
        assertThat(key.title()).contains("publisher.key");
    }

    @Test
    void theBundledDevelopmentKeyIsNamed() throws Exception {
        BundledPlugins.installOnFirstRun(state);
        Finding f = only(BadStates.audit(state), DevKeyCheck.ID);
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.title()).contains("dev-publisher");
        assertThat(f.fix()).contains("claw trust revoke ");
    }

    @Test
    void aRevokedKeyCopiedBackIntoTheStoreIsCritical() throws Exception {
        KeyPair k = Keys.generate();
        TrustStore trust = TrustStore.open(state.trust());
        trust.add(k.getPublic(), "old");
        trust.revokeKey(Keys.keyId(k.getPublic()), "leaked");
        Files.writeString(state.trust().resolve("keys/old.pem"), Keys.publicPem(k.getPublic()));
        Finding f = only(BadStates.audit(state), RevokedKeyCheck.ID);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.detail()).contains("leaked");
    }

    @Test
    void aPluginWhoseSignerIsNotTrustedIsAWarningAndATamperedOneCritical() throws Exception {
        BadStates.install(state, "stranger", BadStates.manifest("stranger", "look", "read", "none", null, "none"));
        Path tampered = BadStates.install(state, "changed", BadStates.manifest("changed", "look", "read", "none", null, "none"));
        Files.delete(state.trust().resolve("keys/stranger-publisher.pem"));
        byte[] b = Files.readAllBytes(tampered);
        b[b.length - 30] ^= 1;
        Files.write(tampered, b);
        List<Finding> f = BadStates.audit(state).withId(PluginSignerCheck.ID);
        assertThat(f).extracting(Finding::severity).containsExactly(Severity.CRITICAL, Severity.WARN);
        assertThat(f.get(0).title()).contains("changed.jar");
        assertThat(f.get(1).title()).contains("stranger.jar").contains("UNTRUSTED_KEY");
    }

    @Test
    void anAgentWithASecretReaderAndASenderIsCriticalUnlessItsPolicySplitsThem() throws Exception {
        BadStates.install(state, "vault", BadStates.manifest("vault", "reveal", "secret", "none", "api_key", "none"));
        BadStates.install(state, "mailer", BadStates.manifest("mailer", "send", "external", "none", null, "smtp.example.com:587"));
        BadStates.config(state, """
                {"agents": {"list": [{"id": "main", "default": true},
                                     {"id": "reader", "tools": {"deny": ["mailer.*"]}}]}}""");
        Finding f = only(BadStates.audit(state), SecretExfiltrationCheck.ID);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.title()).contains("'main'");
        assertThat(f.detail()).contains("vault.reveal").contains("mailer.send");
    }

    @Test
    void aSkillUsingItsOwnKeyAgainstItsOwnApiIsNoExfiltrationPathButASecretRevealingToolBesideItIs() throws Exception {
        // Like the gemini skill: the key is mounted for the skill's code, which never returns it to the model.
        BadStates.install(state, "llm", BadStates.manifest("llm", "generate", "external", "ro", "LLM_KEY", "api.llm.example:443"));
        BadStates.config(state, "{\"agents\": {\"list\": [{\"id\": \"main\", \"default\": true}]}}");
        assertThat(BadStates.audit(state).withId(SecretExfiltrationCheck.ID)).isEmpty();

        // A tool that hands a secret to the model turns the same sender into an exfiltration path.
        BadStates.install(state, "vault", BadStates.manifest("vault", "reveal", "secret", "none", null, "none"));
        Finding f = only(BadStates.audit(state), SecretExfiltrationCheck.ID);
        assertThat(f.detail()).contains("vault.reveal").contains("llm.generate");
    }

    @Test
    void aSkillWithNetworkAndAReadWriteWorkspaceIsAWarning() throws Exception {
        BadStates.install(state, "fetcher", BadStates.manifest("fetcher", "get", "read", "rw", null, "files.example.com:443"));
        Finding f = only(BadStates.audit(state), NetworkWithWritableWorkspaceCheck.ID);
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.detail()).contains("files.example.com:443");
        assertThat(BadStates.audit(state).withId(NetworkAllowlistCheck.ID)).singleElement()
                .extracting(Finding::severity).isEqualTo(Severity.INFO);
    }

    @Test
    void anOperatorGrantIsListedAndCountsAsEgressForTheOtherChecks() throws Exception {
        // A skill whose manifest allows nothing by itself: the egress exists only through the operator's setting.
        BadStates.install(state, "mailbox", """
                id: mailbox
                version: 1.0.0
                description: Audit test skill with an operator grant.
                tools:
                  - name: sync
                    description: A tool.
                    effect: read
                    input: {type: object, properties: {}}
                sandbox: {image: skill-jre}
                permissions:
                  workspace: rw
                settings:
                  type: object
                  properties:
                    imap: {type: string, format: hostport, description: the IMAP server}
                network:
                  grants:
                    - {setting: imap, ports: [993], description: your IMAP server}
                """);
        BadStates.install(state, "vault", BadStates.manifest("vault", "reveal", "secret", "none", "api_key", "none"));
        BadStates.config(state, "{\"agents\":{\"list\":[{\"id\":\"main\",\"default\":true}]},"
                + "\"plugins\":{\"entries\":{\"mailbox\":{\"config\":{\"imap\":\"imap.example.net:993\"}}}}}");
        AuditReport r = BadStates.audit(state);
        Finding grant = only(r, NetworkAllowlistCheck.GRANT_ID);
        assertThat(grant.severity()).isEqualTo(Severity.INFO);
        assertThat(grant.title()).contains("mailbox").contains("imap.example.net:993").contains("plugins.entries.mailbox.config.imap");
        assertThat(only(r, NetworkWithWritableWorkspaceCheck.ID).detail()).contains("imap.example.net:993");
        assertThat(only(r, SecretExfiltrationCheck.ID).severity()).isEqualTo(Severity.CRITICAL);

        // Without the grant the same skills send nothing out.
        BadStates.config(state, "{\"agents\":{\"list\":[{\"id\":\"main\",\"default\":true}]}}");
        AuditReport without = BadStates.audit(state);
        assertThat(without.withId(NetworkAllowlistCheck.GRANT_ID)).isEmpty();
        assertThat(without.withId(NetworkWithWritableWorkspaceCheck.ID)).isEmpty();
        assertThat(without.withId(SecretExfiltrationCheck.ID)).isEmpty();
    }

    @Test
    void autoApproveCoveringAnExternalToolIsAWarning() throws Exception {
        BadStates.install(state, "mailer", BadStates.manifest("mailer", "send", "external", "none", null, "smtp.example.com:587"));
        BadStates.config(state, """
                {"agents": {"list": [{"id": "main", "default": true, "approvals": {"autoApprove": ["mailer.*"]}}]}}""");
        Finding f = only(BadStates.audit(state), AutoApproveCheck.ID);
        assertThat(f.detail()).contains("mailer.send [external]");
    }

    @Test
    void aRuncWithoutTheFixIsCriticalAndDebiansBackportIsNot() throws Exception {
        try (AuditContext c = AuditContext.load(state, Map.of(), false, Optional.empty(),
                Optional.of(new EngineVersion("24.0.7", "1.43", "1.1.10", "v1.1.10-0-g18a0cb0")))) {
            Finding f = only(SecurityAudit.create().run(c), RuncCheck.ID);
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.detail()).contains("1.1.10");
        }
        assertThat(RuncCheck.assess(new EngineVersion("20.10.24+dfsg1", "1.41", "1.1.5+ds1", "1.1.5+ds1-1+deb12u1")))
                .isInstanceOf(RuncCheck.Verdict.Fixed.class);
        assertThat(RuncCheck.assess(new EngineVersion("20.10.24+dfsg1", "1.41", "1.1.5+ds1", "1.1.5+ds1-1")))
                .isInstanceOf(RuncCheck.Verdict.Vulnerable.class);
        assertThat(RuncCheck.assess(new EngineVersion("25.0.2", "1.44", "1.1.12", "v1.1.12-0-g51d5e94")))
                .isInstanceOf(RuncCheck.Verdict.Fixed.class);
        assertThat(RuncCheck.assess(new EngineVersion("24.0.9", "1.43", null, null))).isInstanceOf(RuncCheck.Verdict.Fixed.class);
        assertThat(RuncCheck.assess(new EngineVersion("24.0.8", "1.43", null, null))).isInstanceOf(RuncCheck.Verdict.Vulnerable.class);
        assertThat(RuncCheck.assess(new EngineVersion("23.0.6", "1.42", null, null))).isInstanceOf(RuncCheck.Verdict.Vulnerable.class);
    }

    @Test
    void anInvalidConfigIsReportedAndItsSettingsStillAudited() throws Exception {
        BadStates.config(state, "{\"gateway\":{\"port\":\"high\",\"bind\":\"lan\"}}");
        AuditReport r = BadStates.audit(state);
        assertThat(only(r, ConfigValidityCheck.ID).detail()).contains("$.gateway.port");
        assertThat(r.withId(BindCheck.ID)).hasSize(1);
    }

    @Test
    void theAuditAndTheDoctorNeverCreateTheStateTheyInspect() throws Exception {
        StateDir absent = new StateDir(tmp.resolve("never-created"));
        assertThat(BadStates.audit(absent).ok()).isTrue();
        ai.clawbot.host.doctor.DoctorContext c = new ai.clawbot.host.doctor.DoctorContext(absent,
                ai.clawbot.host.sandbox.DockerClients.create(), "127.0.0.1", 0, List.of(), image -> { throw new AssertionError("no image to resolve"); },
                () -> "nothing");
        assertThat(ai.clawbot.host.doctor.Doctor.create().run(c, false).toText()).contains("does not exist yet");
        assertThat(absent.root()).doesNotExist();
    }
}

package ai.clawbot.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.PluginInstaller.Prepared;
import ai.clawbot.host.testkit.JarBytes;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.KeyRotation;
import ai.clawbot.signing.KeyRotations;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.Sha256;
import ai.clawbot.signing.TrustStore;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way we know to slip a plugin past verification, built as real jars in a temp folder. Each case is
 * refused at install (nothing written to the plugins folder) and at load (nothing of it loaded or
 * staged), with the expected reason.
 */
class TamperSuiteTest {

    private static final String YAML = """
            id: lab
            version: %s
            description: A test skill.
            tools:
              - name: hello
                description: Say hello.
                effect: %s
                input: {type: object}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: none}
            network: none
            """;
    private static final String SOURCE = """
            package lab;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Lab implements Skill {
                public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
            }
            """;
    private static final String CLASS = "lab/Lab.class";
    private static final String SKILL = "META-INF/clawbot/skill.yaml";

    @TempDir
    static Path shared;
    static LinkedHashMap<String, byte[]> base;
    static KeyPair trusted;
    static KeyPair otherTrusted;
    static KeyPair stranger;

    @BeforeAll
    static void compile() throws Exception {
        base = TestPluginJar.of("lab", "1.0.0", YAML.formatted("1.0.0", "read"), "lab.Lab", SOURCE).entries(shared);
        assertThat(base).containsKey(CLASS);
        trusted = Keys.generate();
        otherTrusted = Keys.generate();
        stranger = Keys.generate();
    }

    /** A case: builds {@code work/case.jar} (+ {@code .sig}) in a state whose trust store it may change. */
    interface Setup {
        Path build(Path work, StateDir state, TrustStore trust) throws Exception;
    }

    static LinkedHashMap<String, byte[]> version(String v) {
        LinkedHashMap<String, byte[]> e = JarBytes.copy(base);
        e.put("META-INF/MANIFEST.MF", JarBytes.manifest("lab", v).getBytes(StandardCharsets.UTF_8));
        e.put(SKILL, YAML.formatted(v, "read").getBytes(StandardCharsets.UTF_8));
        return e;
    }

    static Path write(Path work, byte[] jar, byte[] sig) throws Exception {
        Path file = work.resolve("case.jar");
        Files.write(file, jar);
        if (sig != null) {
            Files.write(work.resolve("case.jar.sig"), sig);
        }
        return file;
    }

    static byte[] sign(byte[] jar, KeyPair key) throws Exception {
        return PluginSigner.sign(jar, key.getPrivate(), key.getPublic(), Instant.now()).toBytes();
    }

    static byte[] good(String v) throws Exception {
        return JarBytes.jar(version(v));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("byte flip in a class", "JAR_MISMATCH", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    byte[] sig = sign(jar, trusted);
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.get(CLASS)[e.get(CLASS).length / 2] ^= 0x01;
                    return write(w, JarBytes.jar(e), sig);
                }),
                Arguments.of("byte flip in the skill manifest", "JAR_MISMATCH", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    byte[] sig = sign(jar, trusted);
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put(SKILL, YAML.formatted("1.0.0", "write").getBytes(StandardCharsets.UTF_8));
                    return write(w, JarBytes.jar(e), sig);
                }),
                Arguments.of("entry added", "JAR_MISMATCH", (Setup) (w, s, t) -> {
                    byte[] sig = sign(good("1.0.0"), trusted);
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put("lab/Extra.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
                    return write(w, JarBytes.jar(e), sig);
                }),
                Arguments.of("entry removed", "JAR_MISMATCH", (Setup) (w, s, t) -> {
                    byte[] sig = sign(good("1.0.0"), trusted);
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.remove("META-INF/services/ai.clawbot.plugin.api.Skill");
                    return write(w, JarBytes.jar(e), sig);
                }),
                Arguments.of("duplicate entry names, signed by a trusted key", "MALFORMED_JAR", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put("META-INF/clawbot/skill.yamm", YAML.formatted("1.0.0", "secret").getBytes(StandardCharsets.UTF_8));
                    byte[] jar = JarBytes.patch(JarBytes.jar(e), "skill.yamm", "skill.yaml");
                    return write(w, jar, JarBytes.rawSignature(trusted, "lab", "1.0.0", jar, e.get(SKILL), null));
                }),
                Arguments.of("path-traversal entry name, signed by a trusted key", "MALFORMED_JAR", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put("../../evil.class", new byte[] {1});
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, JarBytes.rawSignature(trusted, "lab", "1.0.0", jar, e.get(SKILL), null));
                }),
                Arguments.of("signature by an untrusted key", "UNTRUSTED_KEY", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, stranger));
                }),
                Arguments.of("revoked key", "REVOKED_KEY", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    t.revokeKey(Keys.keyId(trusted.getPublic()), "key leaked");
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("revoked jar hash", "REVOKED_JAR", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    t.revokeJar(Sha256.hex(jar), "malware");
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("signature of another jar", "JAR_MISMATCH", (Setup) (w, s, t) -> {
                    byte[] other = good("1.0.1");
                    return write(w, good("1.0.0"), sign(other, trusted));
                }),
                Arguments.of("statement id differs from the descriptor", "DESCRIPTOR_MISMATCH", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, JarBytes.rawSignature(trusted, "obsidian", "1.0.0", jar, e.get(SKILL), null));
                }),
                Arguments.of("statement version differs from the descriptor", "DESCRIPTOR_MISMATCH", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, JarBytes.rawSignature(trusted, "lab", "9.9.9", jar, e.get(SKILL), null));
                }),
                Arguments.of("skill manifest id differs from the descriptor", "DESCRIPTOR_MISMATCH", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put(SKILL, YAML.formatted("1.0.0", "read").replace("id: lab", "id: labx").getBytes(StandardCharsets.UTF_8));
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("downgrade below the installed version", "DOWNGRADE", (Setup) (w, s, t) -> {
                    Path v2 = Files.createDirectories(w.resolve("v2")).resolve("lab.jar");
                    byte[] jar2 = good("2.0.0");
                    Files.write(v2, jar2);
                    Files.write(v2.resolveSibling("lab.jar.sig"), sign(jar2, trusted));
                    PluginInstaller installer = new PluginInstaller(s);
                    Prepared p = installer.prepare(v2.toString()).get(0);
                    assertThat(installer.install(((Prepared.Ready) p).preview())).isInstanceOf(InstallOutcome.Installed.class);
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("downgrade below the minimum version", "DOWNGRADE", (Setup) (w, s, t) -> {
                    t.raiseMinimumVersion("lab", "3.0.0");
                    byte[] jar = good("2.9.9");
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("truncated signature file", "MALFORMED_SIGNATURE", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    byte[] sig = sign(jar, trusted);
                    return write(w, jar, java.util.Arrays.copyOf(sig, sig.length / 2));
                }),
                Arguments.of("truncated signature value", "BAD_SIGNATURE", (Setup) (w, s, t) -> {
                    byte[] jar = good("1.0.0");
                    String sig = new String(sign(jar, trusted), StandardCharsets.UTF_8);
                    String value = sig.replaceAll("(?s).*\"signature\" : \"([^\"]+)\".*", "$1");
                    String shorter = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(Base64.getDecoder().decode(value), 32));
                    return write(w, jar, sig.replace(value, shorter).getBytes(StandardCharsets.UTF_8));
                }),
                Arguments.of("garbage signature", "MALFORMED_SIGNATURE", (Setup) (w, s, t) ->
                        write(w, good("1.0.0"), "\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("statement claims another trusted key", "BAD_SIGNATURE", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, JarBytes.rawSignature(trusted, "lab", "1.0.0", jar, e.get(SKILL),
                            Keys.keyId(otherTrusted.getPublic())));
                }),
                Arguments.of("unsigned", "UNSIGNED", (Setup) (w, s, t) -> write(w, good("1.0.0"), null)),
                Arguments.of("oversized jar (bounded read)", "TOO_LARGE", (Setup) (w, s, t) -> {
                    Path file = w.resolve("case.jar");
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                        f.setLength(65L * 1024 * 1024); // sparse: costs no disk
                    }
                    Files.write(w.resolve("case.jar.sig"), sign(good("1.0.0"), trusted));
                    return file;
                }),
                Arguments.of("oversized signature file", "MALFORMED_SIGNATURE", (Setup) (w, s, t) ->
                        write(w, good("1.0.0"), new byte[20 * 1024])),
                Arguments.of("schema-invalid skill manifest, validly signed", "INVALID_MANIFEST", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put(SKILL, YAML.formatted("1.0.0", "destroy").getBytes(StandardCharsets.UTF_8));
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, sign(jar, trusted));
                }),
                Arguments.of("version that is not semver, validly signed", "DESCRIPTOR_MISMATCH", (Setup) (w, s, t) -> {
                    LinkedHashMap<String, byte[]> e = version("1.0.0");
                    e.put("META-INF/MANIFEST.MF", JarBytes.manifest("lab", "latest").getBytes(StandardCharsets.UTF_8));
                    byte[] jar = JarBytes.jar(e);
                    return write(w, jar, JarBytes.rawSignature(trusted, "lab", "latest", jar, e.get(SKILL), null));
                }),
                Arguments.of("rotation statement signed by the old key only, new key signs the jar", "UNTRUSTED_KEY", (Setup) (w, s, t) -> {
                    KeyRotation real = KeyRotation.sign(trusted, stranger, Instant.now(), Duration.ofDays(1));
                    KeyRotation other = KeyRotation.sign(trusted, otherTrusted, Instant.now(), Duration.ofDays(1));
                    forgedRotation(t, new KeyRotation(real.statementBytes(), real.oldSignature(), other.newSignature()), "BAD_SIGNATURE");
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, stranger));
                }),
                Arguments.of("rotation statement signed by the new key only", "UNTRUSTED_KEY", (Setup) (w, s, t) -> {
                    KeyRotation real = KeyRotation.sign(trusted, stranger, Instant.now(), Duration.ofDays(1));
                    forgedRotation(t, new KeyRotation(real.statementBytes(), new byte[64], real.newSignature()), "BAD_SIGNATURE");
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, stranger));
                }),
                Arguments.of("rotation statement from a revoked key", "UNTRUSTED_KEY", (Setup) (w, s, t) -> {
                    t.revokeKey(Keys.keyId(otherTrusted.getPublic()), "key leaked");
                    forgedRotation(t, KeyRotation.sign(otherTrusted, stranger, Instant.now(), Duration.ofDays(1)), "REVOKED_KEY");
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, stranger));
                }),
                Arguments.of("rotation statement to a revoked key", "REVOKED_KEY", (Setup) (w, s, t) -> {
                    t.revokeKey(Keys.keyId(stranger.getPublic()), "key leaked");
                    forgedRotation(t, KeyRotation.sign(trusted, stranger, Instant.now(), Duration.ofDays(1)), "REVOKED_KEY");
                    byte[] jar = good("1.0.0");
                    return write(w, jar, sign(jar, stranger));
                }),
                Arguments.of("not a zip at all, validly signed", "MALFORMED_JAR", (Setup) (w, s, t) -> {
                    byte[] junk = "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8);
                    return write(w, junk, JarBytes.rawSignature(trusted, "lab", "1.0.0", junk, new byte[0], null));
                }));
    }

    /**
     * A rotation statement that must not count: refused when installed ({@code claw trust rotate}, or a registry
     * index shipping it), and still counting for nothing when written straight into the trust folder (at load).
     */
    static void forgedRotation(TrustStore t, KeyRotation statement, String reason) throws Exception {
        assertThat(t.acceptRotation(statement.toBytes())).isInstanceOfSatisfying(KeyRotations.Outcome.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(reason));
        Path dir = Files.createDirectories(t.directory().resolve("rotations"));
        Files.write(dir.resolve(Sha256.hex(statement.toBytes()) + ".json"), statement.toBytes());
        assertThat(t.rotations().chain()).isEmpty();
    }

    private static StateDir freshState(Path root) throws Exception {
        StateDir state = new StateDir(root);
        state.ensureRoot();
        TrustStore trust = TrustStore.open(state.trust());
        trust.add(trusted.getPublic(), "publisher");
        trust.add(otherTrusted.getPublic(), "other");
        return state;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedAtInstallAndAtLoad(String name, String reason, Setup setup, @TempDir Path tmp) throws Exception {
        // At install: refused by prepare() or install(), and the plugins folder is untouched.
        StateDir state = freshState(tmp.resolve("install-state"));
        Path work = Files.createDirectories(tmp.resolve("install-work"));
        Path jar = setup.build(work, state, TrustStore.open(state.trust()));
        List<String> before = listing(state.plugins());
        PluginInstaller installer = new PluginInstaller(state);
        List<Prepared> prepared = installer.prepare(jar.toString());
        assertThat(prepared).hasSize(1);
        String installReason = switch (prepared.get(0)) {
            case Prepared.Refused r -> r.refused().reason();
            case Prepared.Ready ready -> installer.install(ready.preview()) instanceof InstallOutcome.Refused r ? r.reason() : "INSTALLED";
        };
        assertThat(installReason).as(name + " at install").isEqualTo(reason);
        assertThat(listing(state.plugins())).isEqualTo(before);

        // At load: the same files dropped into the plugins folder are refused, nothing of them loaded or staged.
        StateDir loadState = freshState(tmp.resolve("load-state"));
        Path loadWork = Files.createDirectories(tmp.resolve("load-work"));
        Path bad = setup.build(loadWork, loadState, TrustStore.open(loadState.trust()));
        Files.createDirectories(loadState.plugins());
        Files.move(bad, loadState.plugins().resolve("case.jar"));
        if (Files.exists(loadWork.resolve("case.jar.sig"))) {
            Files.move(loadWork.resolve("case.jar.sig"), loadState.plugins().resolve("case.jar.sig"));
        }
        try (SkillCatalog catalog = SkillCatalog.load(loadState)) {
            assertThat(catalog.refused()).as(name + " at load").anySatisfy(r -> {
                assertThat(r.file()).isEqualTo("case.jar");
                assertThat(r.reason()).isEqualTo(reason);
                assertThat(r.message()).isNotBlank();
            });
            assertThat(catalog.skills()).allSatisfy(s -> assertThat(s.source().getFileName().toString()).isNotEqualTo("case.jar"));
            byte[] badBytes = Files.size(loadState.plugins().resolve("case.jar")) < 1024 * 1024
                    ? Files.readAllBytes(loadState.plugins().resolve("case.jar")) : new byte[0];
            assertThat(listing(loadState.sandboxes().resolve("verified-plugins"))).doesNotContain(Sha256.hex(badBytes) + ".jar");
        }
    }

    /**
     * A warm start skips re-validating a manifest that passed before (PassedChecks), and nothing else: a changed,
     * invalid manifest is validated and refused, and the remembered jar is refused once its key is revoked.
     */
    @Test
    void aRememberedPassSkipsOnlyTheSameManifestsValidation(@TempDir Path tmp) throws Exception {
        StateDir state = freshState(tmp.resolve("state"));
        Files.createDirectories(state.plugins());
        byte[] jar = good("1.0.0");
        Files.write(state.plugins().resolve("lab.jar"), jar);
        Files.write(state.plugins().resolve("lab.jar.sig"), sign(jar, trusted));
        try (SkillCatalog catalog = SkillCatalog.load(state)) {
            assertThat(catalog.skills()).extracting(LoadedSkill::id).containsExactly("lab");
        }
        assertThat(ai.clawbot.host.config.PassedChecks.in(state.root())
                .passed(PluginGate.MANIFEST_CHECK, version("1.0.0").get(SKILL))).as("the pass was recorded").isTrue();
        try (SkillCatalog warm = SkillCatalog.load(state)) {
            assertThat(warm.skills()).extracting(LoadedSkill::id).containsExactly("lab");
        }

        LinkedHashMap<String, byte[]> e = version("1.0.0");
        e.put(SKILL, YAML.formatted("1.0.0", "destroy").getBytes(StandardCharsets.UTF_8));
        byte[] invalid = JarBytes.jar(e);
        Files.write(state.plugins().resolve("lab.jar"), invalid);
        Files.write(state.plugins().resolve("lab.jar.sig"), sign(invalid, trusted));
        try (SkillCatalog changed = SkillCatalog.load(state)) {
            assertThat(changed.skills()).isEmpty();
            assertThat(changed.refused()).extracting(RefusedPlugin::reason).containsExactly("INVALID_MANIFEST");
        }

        Files.write(state.plugins().resolve("lab.jar"), jar);
        Files.write(state.plugins().resolve("lab.jar.sig"), sign(jar, trusted));
        TrustStore.open(state.trust()).revokeKey(Keys.keyId(trusted.getPublic()), "test");
        try (SkillCatalog revoked = SkillCatalog.load(state)) {
            assertThat(revoked.skills()).isEmpty();
            assertThat(revoked.refused()).extracting(RefusedPlugin::reason).containsExactly("REVOKED_KEY");
        }
    }

    @Test
    void aSourceSwappedBetweenVerificationAndInstallIsNotWhatGetsInstalled(@TempDir Path tmp) throws Exception {
        StateDir state = freshState(tmp.resolve("state"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        byte[] jar = good("1.0.0");
        Path file = write(work, jar, sign(jar, trusted));
        PluginInstaller installer = new PluginInstaller(state);
        Prepared.Ready ready = (Prepared.Ready) installer.prepare(file.toString()).get(0);
        LinkedHashMap<String, byte[]> evil = version("1.0.0");
        evil.put("lab/Evil.class", new byte[] {1, 2, 3});
        Files.write(file, JarBytes.jar(evil)); // swapped after verification
        assertThat(installer.install(ready.preview())).isInstanceOf(InstallOutcome.Installed.class);
        assertThat(Files.readAllBytes(state.plugins().resolve("lab-1.0.0.jar"))).isEqualTo(jar);
        try (SkillCatalog catalog = SkillCatalog.load(state)) {
            assertThat(catalog.find("lab")).hasValueSatisfying(s -> assertThat(s.jarSha256()).isEqualTo(Sha256.hex(jar)));
        }
    }

    @Test
    void installingANewerVersionReplacesTheOldAndRaisesTheFloor(@TempDir Path tmp) throws Exception {
        StateDir state = freshState(tmp.resolve("state"));
        PluginInstaller installer = new PluginInstaller(state);
        for (String v : List.of("1.0.0", "1.1.0")) {
            Path dir = Files.createDirectories(tmp.resolve("v" + v));
            byte[] jar = good(v);
            Path file = write(dir, jar, sign(jar, trusted));
            Prepared.Ready r = (Prepared.Ready) installer.prepare(file.toString()).get(0);
            assertThat(installer.install(r.preview())).isInstanceOf(InstallOutcome.Installed.class);
            assertThat(installer.install(r.preview())).as("idempotent").isInstanceOf(InstallOutcome.AlreadyInstalled.class);
        }
        assertThat(listing(state.plugins())).containsExactly("lab-1.1.0.jar", "lab-1.1.0.jar.sig");
        assertThat(TrustStore.open(state.trust()).minimumVersions()).containsEntry("lab", "1.1.0");
        try (SkillCatalog catalog = SkillCatalog.load(state)) {
            assertThat(catalog.find("lab")).hasValueSatisfying(s -> assertThat(s.manifest().version()).isEqualTo("1.1.0"));
        }
    }

    private static List<String> listing(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("disabled.json")).sorted().toList();
        }
    }
}

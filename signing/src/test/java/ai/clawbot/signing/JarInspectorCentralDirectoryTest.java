package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector streams local headers; loaders (PF4J's JarFile, the sandbox class path) read the central
 * directory. Jars whose two views differ must be refused. Each test first proves, with the real
 * {@link JarFile}, that the loader would indeed see something else than the stream.
 */
class JarInspectorCentralDirectoryTest {

    private static final String SKILL = "META-INF/clawbot/skill.yaml";
    private static final String VIEWS_DIFFER = "jar's central directory lists different entries than its local headers";

    @TempDir
    Path tmp;

    @Test
    void duplicateNameOnlyInTheCentralDirectoryIsRefused() throws Exception {
        byte[] jar = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of(SKILL, PluginJars.SKILL_YAML),
                new RawZip.Entry("ai/clawbot/test/A.class", "ai/clawbot/test/A.class", "first".getBytes(StandardCharsets.UTF_8)),
                new RawZip.Entry("ai/clawbot/test/B.class", "ai/clawbot/test/A.class", "second".getBytes(StandardCharsets.UTF_8))));
        Path file = tmp.resolve("dup-cen.jar");
        Files.write(file, jar);

        try (JarFile loader = new JarFile(file.toFile())) {
            assertThat(Collections.list(loader.entries())).extracting(ZipEntry::getName)
                    .filteredOn("ai/clawbot/test/A.class"::equals).hasSize(2);
        }
        assertThatThrownBy(() -> JarInspector.inspect(jar)).isInstanceOf(IOException.class).hasMessage(VIEWS_DIFFER);
    }

    @Test
    void skillManifestSwappedInTheCentralDirectoryIsRefusedEvenWhenValidlySigned() throws Exception {
        String reviewed = PluginJars.SKILL_YAML;
        String swapped = PluginJars.SKILL_YAML.replace("clawbot/skill-jre:17", "evil/image:latest");
        byte[] jar = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                // Seen by the stream only: not in the central directory.
                new RawZip.Entry(SKILL, null, reviewed.getBytes(StandardCharsets.UTF_8)),
                // An innocent extra file to the stream, the skill manifest to JarFile.
                new RawZip.Entry("META-INF/clawbot/notes.txt", SKILL, swapped.getBytes(StandardCharsets.UTF_8))));
        Path file = tmp.resolve("swap.jar");
        Files.write(file, jar);
        try (JarFile loader = new JarFile(file.toFile()); InputStream in = loader.getInputStream(loader.getEntry(SKILL))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("evil/image:latest");
        }
        KeyPair publisher = Keys.generate();
        TrustStore trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(publisher.getPublic(), "acme");
        SignatureStatement statement = new SignatureStatement("notes", "1.2.3", Sha256.hex(jar),
                Sha256.hex(reviewed.getBytes(StandardCharsets.UTF_8)), "clawbot/skill-jre:17", Instant.EPOCH.toString(),
                Keys.keyId(publisher.getPublic()));

        Verification v = PluginVerifier.create(trust)
                .verify(jar, PluginJars.signStatement(statement, publisher.getPrivate()).toBytes());

        assertThat(v).isInstanceOfSatisfying(Verification.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Verification.Reason.MALFORMED_JAR);
            assertThat(r.message()).isEqualTo(VIEWS_DIFFER);
        });
        assertThatThrownBy(() -> PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), Instant.EPOCH))
                .isInstanceOf(IOException.class).hasMessage(VIEWS_DIFFER);
    }

    @Test
    void sameNamesInTheSameOrderButSkillManifestPointingAtOtherBytesIsRefused() throws Exception {
        byte[] reviewed = PluginJars.SKILL_YAML.getBytes(StandardCharsets.UTF_8);
        byte[] other = PluginJars.SKILL_YAML.replace("clawbot/skill-jre:17", "evil/image:latest").getBytes(StandardCharsets.UTF_8);
        List<RawZip.Entry> locals = List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of(SKILL, reviewed),
                RawZip.Entry.of("META-INF/clawbot/other.yaml", other));
        // Central names in the same order as the local ones, but skill.yaml -> record 2, other.yaml -> record 1.
        byte[] jar = RawZip.build(locals, List.of(
                new RawZip.Central("META-INF/MANIFEST.MF", 0),
                new RawZip.Central(SKILL, 2),
                new RawZip.Central("META-INF/clawbot/other.yaml", 1)));
        Path file = tmp.resolve("crossed.jar");
        Files.write(file, jar);
        try (JarFile loader = new JarFile(file.toFile()); InputStream in = loader.getInputStream(loader.getEntry(SKILL))) {
            assertThat(Collections.list(loader.entries())).extracting(ZipEntry::getName)
                    .containsExactly("META-INF/MANIFEST.MF", SKILL, "META-INF/clawbot/other.yaml");
            assertThat(in.readAllBytes()).isEqualTo(other);
        }

        assertThatThrownBy(() -> JarInspector.inspect(jar)).isInstanceOf(IOException.class)
                .hasMessage("jar's central directory and local headers disagree on the manifests");
    }
}

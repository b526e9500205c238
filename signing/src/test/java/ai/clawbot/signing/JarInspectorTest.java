package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JarInspectorTest {

    @TempDir
    Path tmp;

    @Test
    void readsIdVersionHashesAndImageFromTheJarItself() throws Exception {
        byte[] jar = PluginJars.writeTo(tmp, "notes.jar", PluginJars.pluginJar("notes", "1.2.3", PluginJars.SKILL_YAML));

        JarFacts facts = JarInspector.inspect(jar);

        assertThat(facts.pluginId()).isEqualTo("notes");
        assertThat(facts.version()).isEqualTo("1.2.3");
        assertThat(facts.jarSha256()).isEqualTo(Sha256.hex(jar)).hasSize(64);
        assertThat(facts.manifestSha256()).isEqualTo(Sha256.hex(PluginJars.SKILL_YAML.getBytes(StandardCharsets.UTF_8)));
        assertThat(facts.image()).isEqualTo("clawbot/skill-jre:17");
    }

    @Test
    void unreadableSkillManifestStillGivesFactsWithoutAnImage() throws Exception {
        byte[] jar = PluginJars.pluginJar("notes", "1.2.3", "{{{ : not yaml ]]");

        JarFacts facts = JarInspector.inspect(jar);

        assertThat(facts.pluginId()).isEqualTo("notes");
        assertThat(facts.image()).isNull();
        assertThat(new String(facts.manifestBytes(), StandardCharsets.UTF_8)).isEqualTo("{{{ : not yaml ]]");
    }

    @Test
    void jarWithoutPluginIdIsRefused() throws Exception {
        byte[] jar = PluginJars.pluginJar(null, "1.2.3", PluginJars.SKILL_YAML);

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("jar manifest lacks Plugin-Id or Plugin-Version");
    }

    @Test
    void jarWithoutPluginVersionIsRefused() throws Exception {
        byte[] jar = PluginJars.pluginJar("notes", null, PluginJars.SKILL_YAML);

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("jar manifest lacks Plugin-Id or Plugin-Version");
    }

    @Test
    void jarWithoutPluginIdCannotBeSigned() throws Exception {
        byte[] jar = PluginJars.pluginJar(null, "1.2.3", PluginJars.SKILL_YAML);
        KeyPair k = Keys.generate();

        assertThatThrownBy(() -> PluginSigner.sign(jar, k.getPrivate(), k.getPublic(), Instant.EPOCH))
                .isInstanceOf(IOException.class)
                .hasMessage("jar manifest lacks Plugin-Id or Plugin-Version");
    }

    @Test
    void jarWithoutSkillManifestIsRefused() throws Exception {
        byte[] jar = PluginJars.pluginJar("notes", "1.2.3", null);

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("jar has no META-INF/clawbot/skill.yaml");
    }

    @Test
    void jarWithoutManifestMfIsRefused() throws Exception {
        byte[] jar = PluginJars.jar(null, PluginJars.SKILL_YAML, Map.of());

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("jar has no META-INF/MANIFEST.MF");
    }

    @Test
    void bytesThatAreNoZipAreRefused() {
        assertThatThrownBy(() -> JarInspector.inspect("hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class)
                .hasMessage("not a jar (no entries)");
    }

    @Test
    void duplicateEntryNameInAHandWrittenZipIsRefused() throws Exception {
        byte[] jar = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", "id: first\n"),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", "id: second\n")));

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("duplicate jar entry 'META-INF/clawbot/skill.yaml'");
    }

    @Test
    void handWrittenZipWithoutDuplicatesIsAcceptedLikeAJarOutputStreamOne() throws Exception {
        // Control for the test above: the hand-written zip format itself is readable.
        byte[] jar = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", PluginJars.SKILL_YAML)));

        JarFacts facts = JarInspector.inspect(jar);

        assertThat(facts.pluginId()).isEqualTo("notes");
        assertThat(facts.image()).isEqualTo("clawbot/skill-jre:17");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.class", "/abs/evil.class", "a/../../evil.class", "a/..", "..", "a\\evil.class"})
    void unsafeEntryNamesAreRefused(String name) throws Exception {
        byte[] jar = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", PluginJars.SKILL_YAML),
                RawZip.Entry.of(name, "x")));

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("unsafe jar entry name '" + name + "'");
    }

    @Test
    void skillManifestOver1MiBIsRefused() throws Exception {
        String big = "description: " + "x".repeat(1024 * 1024) + "\n";
        byte[] jar = PluginJars.pluginJar("notes", "1.2.3", big);

        assertThatThrownBy(() -> JarInspector.inspect(jar))
                .isInstanceOf(IOException.class)
                .hasMessage("jar entry 'META-INF/clawbot/skill.yaml' is over 1048576 bytes");
    }
}

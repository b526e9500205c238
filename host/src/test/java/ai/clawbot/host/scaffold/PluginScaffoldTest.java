package ai.clawbot.host.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code claw plugins new}'s generator: what it writes, and what it refuses without writing anything. */
class PluginScaffoldTest {

    @TempDir
    Path tmp;

    private final PluginScaffold scaffold = PluginScaffold.create(Path.of("/opt/clawbot"));

    @Test
    void writesAProjectWhoseManifestIsValidAndWhoseTemplatesAreFullyRendered() throws Exception {
        PluginScaffold.Generated g = scaffold.generate(PluginProject.of("hello-notes", null, tmp.resolve("p")));

        assertThat(g.files()).containsExactly(Path.of("pom.xml"), Path.of("skill.yaml"), Path.of("README.md"),
                Path.of(".gitignore"), Path.of("src/main/java/com/example/hellonotes/HelloNotesSkill.java"),
                Path.of("src/main/java/com/example/hellonotes/GreetHandler.java"),
                Path.of("src/main/resources/META-INF/services/ai.clawbot.plugin.api.Skill"),
                Path.of("src/test/java/com/example/hellonotes/GreetHandlerTest.java"));
        try (Stream<Path> all = Files.walk(g.dir())) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("{{").doesNotContain("}}");
            }
        }
        byte[] yaml = Files.readAllBytes(g.dir().resolve("skill.yaml"));
        ManifestCheck check = ManifestValidator.create().validate(yaml);
        assertThat(check).as(check.toString()).isInstanceOf(ManifestCheck.Valid.class);
        SkillManifest m;
        try (InputStream in = Files.newInputStream(g.dir().resolve("skill.yaml"))) {
            m = ManifestReader.read(in);
        }
        assertThat(m.id()).isEqualTo("hello-notes");
        assertThat(m.tools()).extracting(t -> t.name()).containsExactly("greet");

        String pom = Files.readString(g.dir().resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>hello-notes</artifactId>").contains("<Plugin-Id>hello-notes</Plugin-Id>")
                .contains("<scope>provided</scope>").containsPattern("<clawbot.plugin-api.version>\\d+\\.\\d+\\.\\d+[^<]*<");
        assertThat(Files.readString(g.dir().resolve("src/main/resources/META-INF/services/ai.clawbot.plugin.api.Skill")).strip())
                .isEqualTo("com.example.hellonotes.HelloNotesSkill");
        assertThat(Files.readString(g.dir().resolve("README.md"))).contains("export CLAWBOT_HOME=/opt/clawbot")
                .contains("claw\" tools invoke hello-notes greet");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("no staging folder left behind").containsExactly(tmp.resolve("p"));
        }
    }

    @Test
    void anExplicitPackageAndAnEmptyExistingFolderAreUsed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        PluginScaffold.Generated g = scaffold.generate(PluginProject.of("mail2", "org.acme.mail", dir));
        assertThat(g.dir().resolve("src/main/java/org/acme/mail/Mail2Skill.java")).exists();
    }

    @Test
    void badIdsAreRefusedWithTheManifestPattern() {
        for (String bad : new String[] {"Hello", "x", "1abc", "hello_world", "a".repeat(41), "../evil", ""}) {
            assertThatThrownBy(() -> PluginProject.of(bad, null, tmp.resolve("x")))
                    .as(bad).isInstanceOfSatisfying(ScaffoldException.class,
                            e -> assertThat(e.reason()).isEqualTo(ScaffoldException.Reason.BAD_ID))
                    .hasMessageContaining("^[a-z][a-z0-9-]{1,39}$");
        }
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void badPackagesAreRefused() {
        for (String bad : new String[] {"com.example.new", "Com.Example", "com..x", "1x", "com.example-x"}) {
            assertThatThrownBy(() -> PluginProject.of("hello", bad, tmp.resolve("x")))
                    .as(bad).isInstanceOfSatisfying(ScaffoldException.class,
                            e -> assertThat(e.reason()).isEqualTo(ScaffoldException.Reason.BAD_PACKAGE));
        }
        // The default package of an id that is a Java keyword cannot be used: ask for --package.
        assertThatThrownBy(() -> PluginProject.of("new", null, tmp.resolve("x"))).hasMessageContaining("--package");
    }

    @Test
    void aNonEmptyFolderOrAFileIsRefusedAndLeftAsItWas() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> scaffold.generate(PluginProject.of("hello", null, dir)))
                .isInstanceOfSatisfying(ScaffoldException.class,
                        e -> assertThat(e.reason()).isEqualTo(ScaffoldException.Reason.TARGET_NOT_EMPTY))
                .hasMessageContaining("not empty");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(dir.resolve("notes.txt"));
        }
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");

        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> scaffold.generate(PluginProject.of("hello", null, file)))
                .hasMessageContaining("not a folder");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).containsExactlyInAnyOrder(dir, file);
        }
    }

    @Test
    void anUnknownPlaceholderIsAFailureNotASilentHole() {
        assertThatThrownBy(() -> PluginScaffold.render("a {{nope}} b", java.util.Map.of()))
                .hasMessageContaining("{{nope}}");
    }
}

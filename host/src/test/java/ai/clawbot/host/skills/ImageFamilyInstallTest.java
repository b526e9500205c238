package ai.clawbot.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.TestPluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandbox.image} names an image family: unknown ones are refused at install, with the known ones listed. */
class ImageFamilyInstallTest {

    @TempDir
    Path tmp;

    private List<PluginInstaller.Prepared> prepare(String id, String image) throws Exception {
        Path state = tmp.resolve("state");
        new StateDir(state).ensureRoot();
        Path jar = TestPluginJar.of(id, "1.0.0", """
                id: %s
                version: 1.0.0
                description: A skill that names an image family.
                tools:
                  - name: hello
                    description: Say hello.
                    effect: read
                    input: {type: object}
                sandbox: {image: %s}
                permissions: {workspace: none}
                network: none
                """.formatted(id, image), "h.Hello", """
                package h;
                import ai.clawbot.plugin.api.*;
                import java.util.Map;
                public class Hello implements Skill {
                    public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
                }
                """).buildSignedAndTrusted(Files.createDirectories(tmp.resolve("build-" + id)), state.resolve("trust"), id);
        return new PluginInstaller(new StateDir(state)).prepare(jar.toString());
    }

    @Test
    void anUnknownFamilyIsRefusedWithTheKnownOnesAndNothingIsInstalled() throws Exception {
        List<PluginInstaller.Prepared> p = prepare("pyskill", "skill-python");

        assertThat(p).singleElement().isInstanceOfSatisfying(PluginInstaller.Prepared.Refused.class, r -> {
            assertThat(r.refused().reason()).isEqualTo("UNKNOWN_IMAGE_FAMILY");
            assertThat(r.refused().message()).contains("$.sandbox.image").contains("unknown image family 'skill-python'")
                    .contains("skill-jre, skill-node, skill-stt");
        });
        try (var files = Files.list(tmp.resolve("state/plugins"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRegistryImageNameIsNotAFamily() throws Exception {
        assertThat(prepare("dockerhub", "library/debian:latest")).singleElement()
                .isInstanceOfSatisfying(PluginInstaller.Prepared.Refused.class,
                        r -> assertThat(r.refused().reason()).isEqualTo("UNKNOWN_IMAGE_FAMILY"));
    }

    @Test
    void everyKnownFamilyAndTheLegacyNameAreAccepted() throws Exception {
        for (String image : List.of("skill-jre", "skill-node", "skill-stt", "clawbot/skill-jre:17")) {
            String id = "fam-" + Integer.toHexString(image.hashCode());
            assertThat(prepare(id, image)).as(image).singleElement().isInstanceOf(PluginInstaller.Prepared.Ready.class);
        }
    }
}

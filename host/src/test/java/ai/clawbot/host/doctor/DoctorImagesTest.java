package ai.clawbot.host.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.ImageRecipe;
import ai.clawbot.host.sandbox.SandboxImages;
import ai.clawbot.host.testkit.DockerRequired;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image families against their recipes, resolved on a real engine as a tool call resolves them: a family whose
 * repository holds only another recipe's tag is stale, one with no image is missing; both fail naming
 * {@code claw sandbox build FAMILY}, and {@code --fix} runs the build once for both, then checks again.
 */
@ExtendWith(DockerRequired.class)
class DoctorImagesTest {

    @TempDir
    Path state;

    @Test
    void aStaleAndAMissingImageAreBuiltOnceByFix() throws Exception {
        DockerClient d = DockerClients.create();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stale = "doctor-stale-" + suffix;
        String missing = "doctor-missing-" + suffix;
        String container = d.createContainerCmd(DockerRequired.IMAGE).withCmd("true").exec().getId();
        try {
            // A real image built from an older recipe: the family's repository, another hash.
            d.commitCmd(container).withRepository("clawbot/" + stale).withTag("0000000000000000").exec();
            AtomicInteger builds = new AtomicInteger();
            DoctorContext c = new DoctorContext(new StateDir(state), d, "127.0.0.1", 0, List.of(missing, stale),
                    family -> SandboxImages.resolve(d, new ImageRecipe(family, "1111111111111111")),
                    () -> "build #" + builds.incrementAndGet());

            Doctor.Report before = Doctor.create().run(c, false);
            List<DoctorResult> images = before.results().stream().filter(r -> r.check().equals("images")).toList();
            assertThat(images).extracting(DoctorResult::status).containsExactly(DoctorResult.Status.FAIL, DoctorResult.Status.FAIL);
            assertThat(images.get(0).detail()).contains(missing + " is not built").contains("clawbot/" + missing + ":1111111111111111");
            assertThat(images.get(1).detail()).contains(stale + " is stale").contains("clawbot/" + stale + ":0000000000000000");
            assertThat(images.get(0).fix()).isEqualTo("claw sandbox build " + missing);
            assertThat(images.get(1).fix()).isEqualTo("claw sandbox build " + stale);
            assertThat(builds).hasValue(0);

            Doctor.Report fixed = Doctor.create().run(c, true);
            assertThat(builds).hasValue(1);
            assertThat(fixed.fixed()).containsExactly("images: build #1");
            assertThat(fixed.ok()).isFalse(); // this build made nothing: the check ran again and still sees it

            // The current recipe's tag present: ok.
            d.tagImageCmd("clawbot/" + stale + ":0000000000000000", "clawbot/" + stale, "1111111111111111").exec();
            Doctor.Report now = Doctor.create().run(c, false);
            assertThat(now.results().stream().filter(r -> r.check().equals("images")).map(DoctorResult::status))
                    .containsExactly(DoctorResult.Status.FAIL, DoctorResult.Status.OK);
        } finally {
            d.removeContainerCmd(container).withForce(true).exec();
            for (String t : List.of(":0000000000000000", ":1111111111111111")) {
                try {
                    d.removeImageCmd("clawbot/" + stale + t).withForce(true).exec();
                } catch (com.github.dockerjava.api.exception.NotFoundException ignored) {
                    // not tagged in this run
                }
            }
            d.close();
        }
    }
}

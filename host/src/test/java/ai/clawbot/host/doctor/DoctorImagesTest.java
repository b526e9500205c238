package ai.clawbot.host.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.testkit.DockerRequired;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandbox images against the recipe: a real image whose {@code ai.clawbot.recipe} label is old is stale, a missing
 * one fails, and {@code --fix} runs the build once for both, then checks again.
 */
@ExtendWith(DockerRequired.class)
class DoctorImagesTest {

    @TempDir
    Path state;

    @Test
    void aStaleAndAMissingImageAreBuiltOnceByFix() throws Exception {
        DockerClient d = DockerClients.create();
        String tag = "audit-test-" + UUID.randomUUID().toString().substring(0, 8);
        String stale = "clawbot/doctor-stale:" + tag;
        String missing = "clawbot/doctor-missing:" + tag;
        String container = d.createContainerCmd(DockerRequired.IMAGE).withCmd("true").exec().getId();
        try {
            d.commitCmd(container).withRepository("clawbot/doctor-stale").withTag(tag)
                    .withLabels(java.util.Map.of("ai.clawbot.recipe", "0000000000000000")).exec();
            AtomicInteger builds = new AtomicInteger();
            DoctorContext c = new DoctorContext(new StateDir(state), d, "127.0.0.1", 0, List.of(missing, stale),
                    image -> Optional.of("1111111111111111"), () -> "build #" + builds.incrementAndGet());

            Doctor.Report before = Doctor.create().run(c, false);
            List<DoctorResult> images = before.results().stream().filter(r -> r.check().equals("images")).toList();
            assertThat(images).extracting(DoctorResult::status).containsExactly(DoctorResult.Status.FAIL, DoctorResult.Status.WARN);
            assertThat(images.get(0).detail()).isEqualTo(missing + " is missing");
            assertThat(images.get(1).detail()).isEqualTo(stale + " is stale: recipe 0000000000000000, the current recipe is"
                    + " 1111111111111111");
            assertThat(images).allSatisfy(r -> assertThat(r.fix()).isEqualTo("claw sandbox build"));
            assertThat(builds).hasValue(0);

            Doctor.Report fixed = Doctor.create().run(c, true);
            assertThat(builds).hasValue(1);
            assertThat(fixed.fixed()).containsExactly("images: build #1");
            assertThat(fixed.ok()).isFalse(); // this build made nothing: the check ran again and still sees it
        } finally {
            d.removeContainerCmd(container).withForce(true).exec();
            d.removeImageCmd(stale).withForce(true).exec();
            d.close();
        }
    }
}

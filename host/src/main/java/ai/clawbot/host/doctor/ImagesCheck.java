package ai.clawbot.host.doctor;

import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxImages.Resolution;
import java.util.ArrayList;
import java.util.List;

/**
 * Each image family the plugins name is built from its current recipe (the family's content-hash tag), resolved
 * exactly as a tool call resolves it, so "ok" here means a call would find its image.
 */
record ImagesCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        if (c.images().isEmpty()) {
            return List.of(DoctorResult.ok("images", "no installed plugin names a sandbox image"));
        }
        if (!DockerClients.available(c.docker())) {
            return List.of(DoctorResult.fail("images", "not checked: no Docker engine answers", "start Docker, then: claw doctor"));
        }
        List<DoctorResult> out = new ArrayList<>();
        for (String image : c.images()) {
            String build = "claw sandbox build " + image;
            out.add(switch (c.resolve().apply(image)) {
                case Resolution.Ready r -> DoctorResult.ok("images", image + " present (" + r.recipe().tag() + ", recipe current)");
                case Resolution.Unavailable u when u.code().equals("SANDBOX_IMAGE_UNKNOWN") -> DoctorResult.fail("images",
                        u.message(), "remove the plugin that names it, or install a version that names a known family");
                case Resolution.Unavailable u -> DoctorResult.fail("images", u.message(), build).withRepair(c.buildImages());
            });
        }
        return out;
    }
}

package ai.clawbot.host.doctor;

import ai.clawbot.host.sandbox.DockerClients;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each sandbox image is present and built from the current recipe (its {@code ai.clawbot.recipe} label). */
record ImagesCheck() implements DoctorCheck {

    static final String LABEL = "ai.clawbot.recipe";

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
            Optional<String> expected = c.expectedRecipe().apply(image);
            Map<String, String> labels;
            try {
                var config = c.docker().inspectImageCmd(image).exec().getConfig();
                labels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
            } catch (NotFoundException e) {
                out.add(expected.isPresent()
                        ? DoctorResult.fail("images", image + " is missing", "claw sandbox build").withRepair(c.buildImages())
                        : DoctorResult.fail("images", image + " is missing and no recipe here builds it",
                                "build or load it yourself (docker load), or remove the plugin that names it"));
                continue;
            }
            String have = labels.get(LABEL);
            if (expected.isEmpty()) {
                out.add(DoctorResult.ok("images", image + " present (not built by a claw recipe)"));
            } else if (expected.get().equals(have)) {
                out.add(DoctorResult.ok("images", image + " present, recipe " + have + " is current"));
            } else {
                out.add(DoctorResult.warn("images", image + " is stale: recipe " + (have == null ? "(none)" : have)
                        + ", the current recipe is " + expected.get(), "claw sandbox build").withRepair(c.buildImages()));
            }
        }
        return out;
    }
}

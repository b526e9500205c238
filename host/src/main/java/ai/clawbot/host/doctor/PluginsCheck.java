package ai.clawbot.host.doctor;

import ai.clawbot.host.skills.InstalledPlugins;
import ai.clawbot.host.skills.RefusedPlugin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Every installed plugin verifies against the trust store (the same verification a load runs). */
record PluginsCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        List<InstalledPlugins.Installed> all;
        try {
            all = InstalledPlugins.scan(c.state());
        } catch (IOException e) {
            return List.of(DoctorResult.fail("plugins", "cannot read the plugins or the trust store: " + e.getMessage(),
                    "fix or remove the file named above"));
        }
        List<DoctorResult> out = new ArrayList<>();
        long good = all.stream().filter(p -> p.verified().isPresent()).count();
        for (InstalledPlugins.Installed p : all) {
            if (p.refused().isPresent()) {
                RefusedPlugin r = p.refused().get();
                out.add(DoctorResult.warn("plugins", r.file() + " does not verify: " + r.reason() + ": " + r.message(),
                        "claw plugins remove it, or reinstall it from its publisher (claw plugins install FILE)"));
            }
        }
        out.add(0, DoctorResult.ok("plugins", good + " of " + all.size() + " installed plugin" + (all.size() == 1 ? "" : "s")
                + " verify"));
        return out;
    }
}

package ai.clawbot.host.doctor;

import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.config.ConfigStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** {@code openclaw.json} is valid; otherwise one line per problem, with its JSON path. */
record ConfigCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        ConfigStore store = ConfigStore.open(c.state().configFile());
        try {
            store.inspect();
            return List.of(DoctorResult.ok("config", Files.exists(store.file()) ? store.file() + " is valid"
                    : store.file() + " does not exist yet (defaults apply)"));
        } catch (ConfigException e) {
            String fix = "edit " + store.file() + " at that path"
                    + (Files.exists(store.lastKnownGoodFile()) ? " (the last good copy is " + store.lastKnownGoodFile() + ")" : "");
            List<DoctorResult> out = new ArrayList<>();
            for (ConfigProblem p : e.problems()) {
                out.add(DoctorResult.fail("config", p.path() + ": " + p.message(), fix));
            }
            return out;
        }
    }
}

package ai.clawbot.host.doctor;

import ai.clawbot.host.security.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The state folder is writable, and its sensitive files have owner-only modes ({@link FileModes}; {@code --fix} tightens). */
record StateFolderCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        Path root = c.state().root();
        List<DoctorResult> out = new ArrayList<>();
        if (!Files.exists(root)) {
            Path parent = root.toAbsolutePath().getParent();
            out.add(parent != null && Files.isWritable(parent)
                    ? DoctorResult.ok("state", root + " does not exist yet; the first claw gateway creates it (mode 0700)")
                    : DoctorResult.fail("state", root + " does not exist and " + parent + " is not writable",
                            "mkdir -m 700 " + root + " (or set OPENCLAW_STATE_DIR to a writable folder)"));
            return out;
        }
        try {
            Path probe = Files.createTempFile(root, ".doctor", ".tmp");
            Files.delete(probe);
            out.add(DoctorResult.ok("state", root + " is writable"));
        } catch (IOException e) {
            out.add(DoctorResult.fail("state", root + " is not writable: " + e.getMessage(),
                    "chown -R $(id -u) " + root + " && chmod u+rwx " + root));
            return out;
        }
        try {
            List<FileModes.Rule> loose = new ArrayList<>();
            for (FileModes.Rule r : FileModes.rules(c.state())) {
                if (!r.excess().isEmpty()) {
                    loose.add(r);
                }
            }
            if (loose.isEmpty()) {
                out.add(DoctorResult.ok("modes", "state folder, config, vault and key files are owner-only"));
            } else {
                DoctorResult.Repair tighten = () -> {
                    int n = 0;
                    for (FileModes.Rule r : loose) {
                        n += r.tighten() ? 1 : 0;
                    }
                    return "tightened the modes of " + n + " file" + (n == 1 ? "" : "s");
                };
                for (FileModes.Rule r : loose) {
                    out.add(DoctorResult.warn("modes", r.what() + " has mode " + r.mode() + " (" + r.path() + ")", r.chmod())
                            .withRepair(tighten));
                }
            }
        } catch (IOException e) {
            out.add(DoctorResult.warn("modes", "modes not checked: " + e.getMessage(), "ls -l " + root));
        }
        return out;
    }
}

package ai.clawbot.host.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Loose modes on the state folder, {@code openclaw.json}, the vault and its key, and key files ({@link FileModes}). */
record FileModesCheck() implements AuditCheck {

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        try {
            for (FileModes.Rule r : FileModes.rules(c.state())) {
                Set<PosixFilePermission> excess = r.excess();
                if (excess.isEmpty()) {
                    continue;
                }
                String title = r.what() + " is " + (r.writable(excess) ? "writable" : "readable") + " by others";
                String detail = r.path() + " has mode " + r.mode();
                String fix = r.chmod() + "   (or: claw doctor --fix)";
                out.add(r.writable(excess) ? Finding.critical(r.checkId(excess), title, detail, fix)
                        : Finding.warn(r.checkId(excess), title, detail, fix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

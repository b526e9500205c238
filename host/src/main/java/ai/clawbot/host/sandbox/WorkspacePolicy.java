package ai.clawbot.host.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which host folders may be mounted as a sandbox's workspace. The path is canonicalised (symlinks
 * resolved) first; then it must not be a sensitive location, lie under one, or contain one (mounting
 * {@code /home/alice} would expose {@code ~/.ssh}). The gateway's own state folder is sensitive too,
 * except its {@code workspace/} sub-folder.
 */
public final class WorkspacePolicy {

    private final List<Path> sensitive;
    private final Path stateRoot;
    private final Path stateWorkspace;

    private WorkspacePolicy(List<Path> sensitive, Path stateRoot, Path stateWorkspace) {
        this.sensitive = sensitive;
        this.stateRoot = stateRoot;
        this.stateWorkspace = stateWorkspace;
    }

    public static WorkspacePolicy create(Path home, Path stateRoot) {
        List<Path> s = new ArrayList<>();
        for (String p : List.of("/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/run", "/var/run",
                "/var/run/docker.sock", "/run/docker.sock", "/var/lib/docker", "/usr", "/bin", "/sbin", "/lib", "/lib64")) {
            s.add(Path.of(p));
        }
        for (String p : List.of(".ssh", ".aws", ".gnupg", ".docker", ".kube", ".config/gcloud")) {
            s.add(home.resolve(p));
        }
        List<Path> canonical = new ArrayList<>();
        for (Path p : s) {
            canonical.add(real(p));
        }
        Path root = real(stateRoot);
        return new WorkspacePolicy(List.copyOf(canonical), root, real(stateRoot.resolve("workspace")));
    }

    /** Why this folder may not be mounted, or empty when it may. */
    public Optional<String> refusal(Path workspace) {
        Path w;
        try {
            w = workspace.toRealPath();
        } catch (IOException e) {
            return Optional.of("workspace " + workspace + " does not exist");
        }
        if (!Files.isDirectory(w)) {
            return Optional.of("workspace " + w + " is not a folder");
        }
        if (w.getNameCount() == 0) {
            return Optional.of("the whole file system cannot be a workspace");
        }
        if (w.startsWith(stateWorkspace) || isAgentWorkspace(w)) {
            // The gateway's own workspace folders (canonical, so no symlink leads out of them): workspace/ and
            // OpenClaw's per-agent workspace-<agentId>/, even when the state folder itself lives somewhere
            // sensitive such as /root/.openclaw.
            return Optional.empty();
        }
        for (Path s : sensitive) {
            if (w.startsWith(s)) {
                return Optional.of("workspace " + w + " is inside " + s + ", which is never mounted into a sandbox");
            }
            if (s.startsWith(w)) {
                return Optional.of("workspace " + w + " contains " + s + ", which is never mounted into a sandbox");
            }
        }
        if (w.startsWith(stateRoot) && !w.startsWith(stateWorkspace) && !isAgentWorkspace(w)) {
            return Optional.of("workspace " + w + " is inside the gateway's state folder (keys, trust store, secrets)");
        }
        if (stateRoot.startsWith(w)) {
            return Optional.of("workspace " + w + " contains the gateway's state folder (keys, trust store, secrets)");
        }
        return Optional.empty();
    }

    /** Inside {@code <state>/workspace-<agentId>/}, a per-agent workspace (never another state folder). */
    private boolean isAgentWorkspace(Path w) {
        if (!w.startsWith(stateRoot) || w.getNameCount() <= stateRoot.getNameCount()) {
            return false;
        }
        String top = w.getName(stateRoot.getNameCount()).toString();
        return top.matches("workspace-[a-z0-9][a-z0-9_-]{0,63}");
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs; // not there (yet): compare by its absolute form
        }
    }
}

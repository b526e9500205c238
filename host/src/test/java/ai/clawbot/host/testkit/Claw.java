package ai.clawbot.host.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./claw} launcher as a process (integration tests run after packaging). */
public final class Claw {

    public static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private Claw() {
    }

    public record Result(int exit, String out) {
    }

    public static Result run(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(REPO.resolve("claw").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("CLAW_NO_BUILD", "1");
        pb.environment().remove("OPENCLAW_GATEWAY_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("claw " + String.join(" ", args) + " did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}

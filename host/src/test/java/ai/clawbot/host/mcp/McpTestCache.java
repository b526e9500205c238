package ai.clawbot.host.mcp;

import ai.clawbot.host.testkit.Node24;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The npm packages the MCP tests use, installed once by {@code .ci/run}: the {@code mcporter} CLI in
 * {@code $CLAW_MCP_CACHE} (default {@code ~/.cache/clawbot-mcp}, {@code mcporter/}), run on the one Node 24 of the
 * tests ({@link Node24}). Missing: a failure when {@code CLAW_REQUIRE_DOCKER=1} (CI), else the test is skipped.
 */
final class McpTestCache {

    private McpTestCache() {
    }

    static Path require() {
        String env = System.getenv("CLAW_MCP_CACHE");
        Path cache = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clawbot-mcp");
        if (Files.isExecutable(Node24.binary()) && Files.isRegularFile(cli(cache))) {
            return cache;
        }
        String problem = "Node 24 (" + Node24.binary() + ", $" + Node24.ENV + ") or the mcporter CLI (" + cli(cache)
                + ") is missing (run the npm steps of .ci/run)";
        if ("1".equals(System.getenv("CLAW_REQUIRE_DOCKER"))) {
            throw new AssertionError("CLAW_REQUIRE_DOCKER=1 but " + problem);
        }
        Assumptions.abort("skipped: " + problem);
        return cache;
    }

    static Path cli(Path cache) {
        return cache.resolve("mcporter/node_modules/mcporter/dist/cli.js");
    }

    /** Runs {@code mcporter ARGS} with its own HOME (no editor configs imported); returns stdout, fails on exit != 0. */
    static String mcporter(Path cache, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Node24.binary().toString(), cli(cache).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("HOME", home.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mcporter " + String.join(" ", args) + " did not finish");
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("mcporter " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }
}

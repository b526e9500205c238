package ai.clawbot.host.testkit;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real gateway on a free loopback port over a throw-away state folder. */
public final class TestGateway {

    public static final String TOKEN = "test-token-0123456789abcdef";

    private TestGateway() {
    }

    public static Gateway start(Path state, SandboxObserver observer) throws IOException {
        return Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(state)), observer);
    }

    /** A gateway with these options (observer, sandbox tuning, engine, models, ...). */
    public static Gateway start(Path state, Gateway.Options options) throws IOException {
        return Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(state)), options);
    }

    /**
     * Writes {@code openclaw.json} naming one OpenAI-compatible provider {@code local} at {@code v1Url} with the model
     * {@code test-model} as the planner (e.g. the test kit's {@code LocalModelServer.v1Url()}).
     */
    public static void useLocalModel(Path state, String v1Url) throws IOException {
        Files.createDirectories(state);
        Files.writeString(state.resolve("openclaw.json"), "{\"models\":{\"providers\":{\"local\":{\"api\":\"openai-compatible\","
                + "\"baseUrl\":\"" + v1Url + "\",\"models\":[\"test-model\"]}},\"routing\":{\"planner\":\"local/test-model\"}}}");
    }

    public static Gateway start(Path state, SandboxObserver observer,
                                java.util.function.UnaryOperator<ai.clawbot.host.sandbox.SandboxSettings> tune) throws IOException {
        return Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(state)), observer, tune);
    }

    /**
     * Writes an {@code openclaw.json} whose only agent, {@code default}, has the operator's pre-approval
     * ({@code approvals.autoApprove}) for {@code patterns}: for tests that call {@code external} or {@code secret}
     * tools through {@code tools.invoke} and are not about approvals (the gate asks an operator otherwise).
     */
    public static void preApprove(Path state, String... patterns) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String p : patterns) {
            list.append(list.isEmpty() ? "" : ", ").append('"').append(p).append('"');
        }
        Files.createDirectories(state);
        Files.writeString(state.resolve("openclaw.json"), """
                {"agents": {"list": [{"id": "default", "default": true, "approvals": {"autoApprove": [%s]}}]}}
                """.formatted(list));
    }

    /** Copies a resource of the host build's bundle (signed at build time) to a file. */
    public static void copyBundled(String entry, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = TestGateway.class.getResourceAsStream("/bundled/" + entry)) {
            if (in == null) {
                throw new IOException("bundled " + entry + " missing: build the host module first");
            }
            Files.copy(in, target);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package ai.clawbot.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads a {@code SandboxProbe} report against the ENV and NETWORK rules. */
final class ProbeVerdicts {

    private ProbeVerdicts() {
    }

    /** Every environment variable of the sandbox (its own, and each readable process's) that breaks the ENV rule. */
    static List<Finding> env(JsonNode report, Map<String, String> forbidden, Map<String, String> secrets) {
        List<Finding> out = new ArrayList<>();
        scan(out, "the sandbox's own environment (what the runner and the image set)", report.path("env"), forbidden, secrets,
                "never pass gateway or vault values to a sandbox, and bake no OPENCLAW_* or credential into the image's environment");
        for (JsonNode p : report.path("processes")) {
            scan(out, "process " + p.path("pid").asText() + " (" + p.path("cmdline").asText() + ")", p.path("env"), forbidden, secrets,
                    "read secrets from their files (ToolContext.secret, /run/secrets/NAME) and pass them to a child process on its "
                            + "stdin or as a file, never in its environment: every process in the sandbox can read /proc/<pid>/environ");
        }
        return out;
    }

    private static void scan(List<Finding> out, String where, JsonNode env, Map<String, String> forbidden,
                             Map<String, String> secrets, String fix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String value = e.getValue().asText();
            List<String> why = new ArrayList<>();
            if (name.startsWith("OPENCLAW_")) {
                why.add("its name starts with OPENCLAW_");
            }
            forbidden.forEach((what, v) -> {
                if (!v.isEmpty() && value.contains(v)) {
                    why.add("it holds the " + what);
                }
            });
            secrets.forEach((secret, v) -> {
                if (!v.isEmpty() && value.contains(v)) {
                    why.add("it holds the value of secret '" + secret + "'");
                }
            });
            if (!why.isEmpty()) {
                out.add(Finding.fail(ContractRule.ENV, where, "environment variable " + name + " (value withheld): "
                        + String.join(", ", why), fix));
            }
        }
    }

    /** Connects and name lookups that should have failed but did not. */
    static List<Finding> network(JsonNode report, String network) {
        List<Finding> out = new ArrayList<>();
        for (JsonNode c : report.path("connects")) {
            if (c.path("connected").asBoolean()) {
                out.add(Finding.fail(ContractRule.NETWORK, "a connect to " + c.path("target").asText(),
                        "the sandbox (network: " + network + ") opened a TCP connection to it",
                        "run the skill's sandbox with no network (--network none) or on an internal network whose only way out is "
                                + "the egress proxy; a skill needing a host declares it in network.allow"));
            }
        }
        if ("none".equals(network)) {
            for (JsonNode r : report.path("resolves")) {
                if (r.has("addresses")) {
                    out.add(Finding.fail(ContractRule.NETWORK, "a name lookup of " + r.path("name").asText(),
                            "the sandbox (network: none) resolved it to " + r.path("addresses"),
                            "give a network: none sandbox no network and no resolver"));
                }
            }
        }
        return out;
    }
}

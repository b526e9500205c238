package ai.clawbot.testkit.contract;

import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The contract every skill passes in its real sandbox, like docker-java's TCK: given a {@link SandboxRunner}
 * for one loaded skill, it checks each {@link ContractRule} and returns every {@link Finding}, passed or not.
 * Order matters and is fixed: manifest, examples (and timeouts), hostile paths, then one probe of the live
 * sandbox for the files the path attacks may have written, the environment and the network.
 * <p>
 * Use {@link SkillContractTest} to run it as JUnit tests; use {@link #check(SandboxRunner)} to assert on
 * findings directly (e.g. that a broken skill fails).
 */
public final class SkillContract {

    /** Public addresses a sandbox with no granted route must not reach directly. */
    static final List<String> PUBLIC_TARGETS = List.of("1.1.1.1:443", "8.8.8.8:53");
    static final String LOOKUP = "example.org";

    private SkillContract() {
    }

    public static List<Finding> check(SandboxRunner runner) throws IOException {
        List<Finding> findings = new ArrayList<>();
        SkillManifest manifest = manifest(runner.manifest(), findings);
        if (manifest == null) {
            return findings;
        }
        boolean paths = manifest.permissions().workspace() != WorkspaceAccess.NONE;
        if (paths) {
            HostilePaths.plant(runner.workspace());
        }
        ObjectNode warmUp = null;
        String warmTool = null;
        for (ToolDeclaration tool : manifest.tools()) {
            for (int i = 0; i < tool.examples().size(); i++) {
                JsonNode example = tool.examples().get(i);
                String subject = manifest.id() + "." + tool.name() + " example #" + i + " " + example;
                CallOutcome outcome = runner.call(tool.name(), example);
                findings.add(example(subject, outcome, manifest, runner));
                if (warmUp == null && outcome instanceof CallOutcome.Answered) {
                    warmUp = (ObjectNode) example;
                    warmTool = tool.name();
                }
            }
        }
        if (paths) {
            findings.addAll(hostilePaths(manifest, runner));
        }
        if (warmTool == null) {
            findings.addAll(unprobed(manifest, "no example answered, so no live sandbox could be probed",
                    "make at least one example answer (see the EXAMPLES and TIMEOUT findings)"));
            return findings;
        }
        if (findings.stream().noneMatch(f -> f.rule() == ContractRule.TIMEOUT)) {
            findings.add(Finding.pass(ContractRule.TIMEOUT, manifest.id(), "every call ended within "
                    + manifest.permissions().resources().timeout()));
        }
        runner.call(warmTool, warmUp); // the probe runs in the sandbox this call leaves warm
        try {
            findings.addAll(probe(manifest, runner));
        } catch (IOException e) {
            findings.addAll(unprobed(manifest, "the sandbox could not be probed: " + e.getMessage(),
                    "the runner must leave the sandbox of the last answered call running and able to run "
                            + "ai.clawbot.plugin.runtime.SandboxProbe from /opt/claw/lib"));
        }
        return findings;
    }

    /** ENV and NETWORK fail, rather than pass unseen, when no sandbox could be probed. */
    private static List<Finding> unprobed(SkillManifest m, String problem, String fix) {
        return List.of(Finding.fail(ContractRule.ENV, m.id(), problem, fix), Finding.fail(ContractRule.NETWORK, m.id(), problem, fix));
    }

    private static SkillManifest manifest(byte[] yaml, List<Finding> findings) {
        ManifestCheck check = ManifestValidator.create().validate(yaml);
        if (check instanceof ManifestCheck.Invalid) {
            findings.add(Finding.fail(ContractRule.MANIFEST, "skill.yaml", ((ManifestCheck.Invalid) check).describe(),
                    "correct the manifest at each JSON path named (the schema is skill-manifest.schema.json)"));
            return null;
        }
        SkillManifest m = ((ManifestCheck.Valid) check).manifest();
        boolean ok = true;
        for (ToolDeclaration t : m.tools()) {
            if (t.examples().isEmpty()) {
                ok = false;
                findings.add(Finding.fail(ContractRule.MANIFEST, m.id() + "." + t.name(), "the tool declares no examples",
                        "add `examples: [{...}]` under the tool in skill.yaml: argument objects a real call would carry"));
            }
        }
        if (ok) {
            findings.add(Finding.pass(ContractRule.MANIFEST, m.id(), "valid; " + m.tools().size() + " tools, each with examples"));
        }
        return ok ? m : null;
    }

    private static Finding example(String subject, CallOutcome outcome, SkillManifest m, SandboxRunner runner) {
        String timeout = m.permissions().resources().timeout();
        if (outcome instanceof CallOutcome.TimedOut) {
            CallOutcome.TimedOut t = (CallOutcome.TimedOut) outcome;
            if (t.sandboxId() != null && runner.running(t.sandboxId())) {
                return Finding.fail(ContractRule.TIMEOUT, subject, "it ran past its " + timeout + " timeout and its sandbox "
                        + t.sandboxId() + " is STILL RUNNING", "the sandbox runner must kill a call's container at its deadline");
            }
            return Finding.fail(ContractRule.TIMEOUT, subject, "it ran past the manifest's timeout (" + timeout
                            + ") and the sandbox killed it",
                    "bound the tool's work below permissions.resources.timeout: honour your own time limits, cap loops, waits "
                            + "and child processes (or raise the timeout if the work is legitimately longer)");
        }
        if (outcome instanceof CallOutcome.Failed) {
            CallOutcome.Failed f = (CallOutcome.Failed) outcome;
            return Finding.fail(ContractRule.EXAMPLES, subject, "no answer: " + f.code() + ": " + f.message(),
                    "make the example a call the skill serves (arguments valid against the input, secrets declared and set)");
        }
        CallOutcome.Answered a = (CallOutcome.Answered) outcome;
        if (a.isError() && a.text().startsWith("INTERNAL:")) {
            return Finding.fail(ContractRule.EXAMPLES, subject, "the tool crashed: " + a.text(),
                    "handle the failure and throw ToolException(CODE, message) for a refusal the caller can read");
        }
        if (a.isError() && a.structured() != null && a.structured().at("/error/code").asText().isEmpty()) {
            return Finding.fail(ContractRule.EXAMPLES, subject, "an error result without an error code: " + a.text(),
                    "refuse with ToolException(CODE, message)");
        }
        return Finding.pass(ContractRule.EXAMPLES, subject, a.isError() ? "refused with " + a.text() : "answered");
    }

    private static List<Finding> hostilePaths(SkillManifest m, SandboxRunner runner) {
        List<Finding> out = new ArrayList<>();
        List<String> declared = m.permissions().secrets();
        String secretName = declared.isEmpty() ? "contract_canary" : declared.get(0);
        for (ToolDeclaration tool : m.tools()) {
            for (String arg : HostilePaths.pathArguments(tool)) {
                for (HostilePaths.Case c : HostilePaths.cases(secretName)) {
                    ObjectNode args = ((ObjectNode) tool.examples().get(0)).deepCopy().put(arg, c.value());
                    String subject = m.id() + "." + tool.name() + " " + arg + "='" + c.value() + "' (" + c.kind() + ")";
                    out.add(hostile(subject, runner.call(tool.name(), args), runner));
                }
            }
        }
        return out;
    }

    private static Finding hostile(String subject, CallOutcome outcome, SandboxRunner runner) {
        String fix = "resolve every path against the workspace root, refuse absolute paths and '..', and compare the real path "
                + "(Path.toRealPath, after links) with the workspace's real path before touching the file";
        if (outcome instanceof CallOutcome.TimedOut) {
            return Finding.fail(ContractRule.TIMEOUT, subject, "the hostile call ran past the manifest's timeout", fix);
        }
        if (outcome instanceof CallOutcome.Failed) {
            return Finding.pass(ContractRule.PATHS, subject, "refused before the tool: " + ((CallOutcome.Failed) outcome).code());
        }
        CallOutcome.Answered a = (CallOutcome.Answered) outcome;
        String seen = a.text() + " " + a.structured();
        if (seen.contains(HostilePaths.PASSWD_MARK)) {
            return Finding.fail(ContractRule.PATHS, subject, "the answer carries the sandbox's /etc/passwd", fix);
        }
        for (var s : runner.secretValues().entrySet()) {
            if (seen.contains(s.getValue())) {
                return Finding.fail(ContractRule.PATHS, subject, "the answer carries the value of secret '" + s.getKey() + "'", fix);
            }
        }
        if (!a.isError()) {
            return Finding.fail(ContractRule.PATHS, subject, "the tool accepted the path and answered: "
                    + abbreviate(a.text()), fix);
        }
        return Finding.pass(ContractRule.PATHS, subject, "refused: " + abbreviate(a.text()));
    }

    private static List<Finding> probe(SkillManifest m, SandboxRunner runner) throws IOException {
        List<Finding> out = new ArrayList<>();
        boolean none = m.network().allow().isEmpty();
        String network = none ? "none" : "allow " + m.network().allow();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(0)); // every host address: what a sandbox must not reach
            List<String> args = new ArrayList<>();
            Set<String> targets = new LinkedHashSet<>(PUBLIC_TARGETS);
            if (none) {
                for (String host : hostAddresses(runner)) {
                    targets.add(host + ":" + listener.getLocalPort());
                }
                args.add("--resolve");
                args.add(LOOKUP);
            }
            for (String t : targets) {
                args.add("--connect");
                args.add(t);
            }
            for (String f : HostilePaths.escapeFiles()) {
                args.add("--exists");
                args.add(f);
            }
            JsonNode report = runner.probe(args);
            for (JsonNode e : report.path("exists")) {
                if (e.path("exists").asBoolean()) {
                    out.add(Finding.fail(ContractRule.PATHS, m.id() + " " + e.path("path").asText(),
                            "a hostile path argument made a tool write this file outside the workspace",
                            "confine writes to the workspace: refuse absolute paths and '..', and check the real path of the "
                                    + "parent folder (after links) before creating the file"));
                }
            }
            List<Finding> env = ProbeVerdicts.env(report, runner.forbiddenValues(), runner.secretValues());
            out.addAll(env.isEmpty() ? List.of(Finding.pass(ContractRule.ENV, m.id(), report.path("processes").size()
                    + " other processes and the sandbox's own environment are clean")) : env);
            List<Finding> net = ProbeVerdicts.network(report, none ? "none" : network);
            out.addAll(net.isEmpty() ? List.of(Finding.pass(ContractRule.NETWORK, m.id(), "no connect succeeded: " + targets)) : net);
        }
        return out;
    }

    /** The runner's host addresses, and this machine's own non-loopback IPv4 addresses. */
    private static Set<String> hostAddresses(SandboxRunner runner) throws IOException {
        Set<String> out = new LinkedHashSet<>(runner.hostAddresses());
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    out.add(a.getHostAddress());
                }
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 160 ? one : one.substring(0, 160) + "…";
    }
}

package ai.clawbot.host.cli;

import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.OpenClawDialect;
import ai.clawbot.host.config.StateDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.nio.file.Path;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Read and change openclaw.json: get/set/patch through the running gateway (validated, with baseHash), migrate offline.",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Patch.class, ConfigCommand.Migrate.class})
final class ConfigCommand {

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the config (secrets redacted), or the value at PATH (e.g. gateway.port).")
    static final class Get implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return target.withClient(spec.commandLine().getErr(), c -> {
                JsonNode node = Rpc.call(c, "config.get", Rpc.params()).path("config");
                if (path != null) {
                    node = node.at(pointer(path));
                    if (node.isMissingNode()) {
                        spec.commandLine().getErr().println("claw: " + path + " is not set");
                        return GatewayTarget.FAILED;
                    }
                }
                if (node.isValueNode()) {
                    out.println(node.asText());
                    out.flush();
                } else {
                    Rpc.print(out, node);
                }
                return GatewayTarget.OK;
            });
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set PATH to VALUE (JSON5: 18790, true, 'text', {a: 1}; anything else is a string). config.patch under the hood.")
    static final class Set implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() {
            JsonNode v;
            try {
                v = ConfigStore.readJson5(value);
            } catch (IllegalArgumentException notJson5) {
                v = TextNode.valueOf(value);
            }
            ObjectNode patch = Rpc.params();
            ObjectNode at = patch;
            String[] keys = path.split("\\.");
            for (int i = 0; i < keys.length - 1; i++) {
                at = at.putObject(keys[i]);
            }
            at.set(keys[keys.length - 1], v);
            return apply(target, spec, patch);
        }
    }

    @Command(name = "patch", mixinStandardHelpOptions = true, description = "Apply a JSON merge patch (RFC 7386; JSON5 accepted; null deletes).")
    static final class Patch implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATCH")
        String patch;

        @Override
        public Integer call() {
            JsonNode p;
            try {
                p = ConfigStore.readJson5(patch);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("claw: PATCH is " + e.getMessage());
                return GatewayTarget.USAGE;
            }
            if (p == null || !p.isObject()) {
                spec.commandLine().getErr().println("claw: PATCH must be an object");
                return GatewayTarget.USAGE;
            }
            return apply(target, spec, (ObjectNode) p);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Show how this gateway reads an OpenClaw openclaw.json: what is mapped, what is ignored, what is refused.",
                    "Reads the file only (default: the state folder's); changes nothing. Exit 1 when the gateway would refuse it."})
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--file", description = "The config to read (default: $OPENCLAW_STATE_DIR/openclaw.json).")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path f = file != null ? file : StateDir.fromEnvironment(System.getenv()).configFile();
            out.println(f);
            OpenClawDialect.Normalized n;
            try {
                n = ConfigStore.open(f).inspectDialect();
            } catch (ConfigException e) {
                out.println("refused (the gateway would not start on it):");
                e.problems().forEach(p -> out.println("  error   " + p));
                out.flush();
                return GatewayTarget.FAILED;
            }
            n.mapped().forEach(m -> out.println("  mapped  " + m));
            n.warnings().forEach(w -> out.println("  ignored " + w.path() + " (kept in the file)"));
            out.println(n.mapped().size() + " mapped, " + n.warnings().size() + " ignored; the gateway accepts this file");
            out.flush();
            return GatewayTarget.OK;
        }
    }

    /** {@code config.get} for the base hash, then {@code config.patch}; problems are printed with their JSON paths. */
    static int apply(GatewayTarget target, CommandSpec spec, ObjectNode patch) {
        PrintWriter err = spec.commandLine().getErr();
        return target.withClient(err, c -> {
            String hash = Rpc.call(c, "config.get", Rpc.params()).path("hash").asText();
            JsonNode res = c.request("config.patch", Rpc.params().put("baseHash", hash).set("patch", patch), Rpc.TIMEOUT);
            if (!res.path("ok").asBoolean()) {
                err.println("claw: " + res.at("/error/message").asText());
                res.at("/error/details/problems").forEach(p -> err.println("  " + p.path("path").asText() + ": " + p.path("message").asText()));
                err.flush();
                return GatewayTarget.FAILED;
            }
            JsonNode restart = res.at("/payload/restartRequired");
            spec.commandLine().getOut().println("saved (hash " + res.at("/payload/hash").asText().substring(0, 12) + ")"
                    + (restart.isEmpty() ? "" : "; restart the gateway for: " + restart));
            spec.commandLine().getOut().flush();
            return GatewayTarget.OK;
        });
    }

    static String pointer(String dotted) {
        StringBuilder p = new StringBuilder();
        for (String k : dotted.split("\\.")) {
            p.append('/').append(k.replace("~", "~0").replace("/", "~1"));
        }
        return p.toString();
    }

}

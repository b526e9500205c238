package ai.clawbot.host.cli;

import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.doctor.Doctor;
import ai.clawbot.host.doctor.DoctorContext;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.gateway.auth.BindPolicy;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.skills.InstalledPlugins;
import ai.clawbot.host.sandbox.SandboxImages;
import ai.clawbot.manifests.ImageFamilies;
import com.github.dockerjava.api.DockerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check that this machine can run the gateway: JDK, Docker, sandbox images, state folder, port,",
                "config, plugins, clock. Each problem says what to run; --fix does the safe ones. Exit 1 on any FAIL."})
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--fix", description = "Build missing or stale images and tighten file modes, then check again.")
    boolean fix;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--port", description = "The port to check (default: as claw gateway resolves it).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        StateDir state = StateDir.fromEnvironment(System.getenv());
        JsonNode gateway = configOrEmpty(state).path("gateway");
        int p = port != null ? port : portFromEnv().orElse(gateway.path("port").asInt(GatewayConfig.DEFAULT_PORT));
        String bind;
        try {
            bind = BindPolicy.resolveBind(gateway.path("bind").asText("loopback")).getHostAddress();
        } catch (IllegalArgumentException e) {
            bind = GatewayConfig.DEFAULT_BIND; // the config line reports the bad value
        }
        DockerClient docker = DockerClients.create();
        DoctorContext context = new DoctorContext(state, docker, bind, p, images(state),
                image -> SandboxImages.resolve(docker, image), () -> new SandboxCommand.Build().call() == 0
                        ? "built the sandbox images (claw sandbox build)" : "claw sandbox build failed (see above)");
        Doctor.Report report = Doctor.create().run(context, fix);
        System.out.print(json ? report.toJson().toPrettyString() + "\n" : report.toText());
        return report.ok() ? 0 : 1;
    }

    /** The images the installed plugins name; before the first gateway run (no plugins yet) the bundled ones'. */
    private static List<String> images(StateDir state) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (InstalledPlugins.Installed p : InstalledPlugins.scan(state)) {
            p.manifest().ifPresent(m -> out.add(ImageFamilies.familyOf(m.sandbox().image()).orElse(m.sandbox().image())));
        }
        if (out.isEmpty() && !java.nio.file.Files.exists(state.plugins())) {
            out.add("skill-jre"); // what the bundled plugins name
        }
        return List.copyOf(out);
    }

    private static JsonNode configOrEmpty(StateDir state) {
        try {
            return ConfigStore.open(state.configFile()).inspect();
        } catch (ConfigException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static Optional<Integer> portFromEnv() {
        try {
            return Optional.ofNullable(System.getenv("OPENCLAW_GATEWAY_PORT")).map(String::trim).map(Integer::parseInt);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

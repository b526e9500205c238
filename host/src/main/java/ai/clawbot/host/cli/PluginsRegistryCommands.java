package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.registry.BoundedFetch;
import ai.clawbot.host.registry.Registries;
import ai.clawbot.host.registry.RegistryClient;
import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.PluginInstaller;
import ai.clawbot.signing.RegistryIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code claw plugins search|info|update} and {@code install ID[@V] --registry NAME}: plugins from configured registries. */
final class PluginsRegistryCommands {

    private PluginsRegistryCommands() {
    }

    static RegistryClient client(StateDir state, String name) throws IOException {
        Optional<Registries.Registry> r = Registries.open(state.trust()).get(name);
        if (r.isEmpty()) {
            throw new IllegalArgumentException("no registry '" + name + "' (claw registry add NAME URL --key PUB.pem)");
        }
        return RegistryClient.create(state, r.get(), new PluginInstaller(state));
    }

    static List<RegistryClient> clients(StateDir state, String name) throws IOException {
        if (name != null) {
            return List.of(client(state, name));
        }
        List<RegistryClient> out = new ArrayList<>();
        PluginInstaller installer = new PluginInstaller(state);
        for (Registries.Registry r : Registries.open(state.trust()).all()) {
            out.add(RegistryClient.create(state, r, installer));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no registry configured (claw registry add NAME URL --key PUB.pem)");
        }
        return out;
    }

    static String describe(RegistryIndex.Entry e) {
        StringBuilder b = new StringBuilder();
        b.append(e.id()).append(' ').append(e.version()).append(": ").append(e.description()).append('\n');
        b.append("  signer key: ").append(e.keyId()).append('\n');
        b.append("  sandbox image: ").append(e.image()).append('\n');
        b.append("  tools: ").append(e.tools() == null ? "?" : e.tools().stream().map(t -> t.name() + " [" + t.effect() + "]")
                .collect(Collectors.joining(", "))).append('\n');
        if (e.permissions() != null) {
            b.append("  workspace: ").append(e.permissions().workspace()).append('\n');
            b.append("  secrets: ").append(e.permissions().secrets().isEmpty() ? "none" : String.join(", ", e.permissions().secrets())).append('\n');
        }
        if (e.network() != null) {
            b.append("  network: ").append(e.network().allow().isEmpty() ? "none" : String.join(", ", e.network().allow())).append('\n');
            e.network().grants().forEach(g -> b.append("  operator may grant: setting '").append(g.setting()).append("'\n"));
        }
        b.append("  jar sha256: ").append(e.jarSha256()).append("\n  manifest sha256: ").append(e.manifestSha256());
        return b.toString();
    }

    /** Shows the offer and its diff, asks (unless {@code yes}), installs. */
    static int confirmAndInstall(PluginInstaller installer, RegistryClient.Offer offer, boolean yes, BufferedReader stdin)
            throws IOException {
        System.out.println(offer.describe());
        if (!yes) {
            System.out.print((offer.diff().fresh() ? "Install " : "Update to ") + offer.preview().id() + " "
                    + offer.preview().version() + (offer.diff().widens() ? " (it WIDENS permissions)" : "") + "? [y/N] ");
            System.out.flush();
            String answer = stdin.readLine();
            if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                System.out.println("not installed: not confirmed (pass --yes to install without asking)");
                return 1;
            }
        }
        return switch (installer.install(offer.preview())) {
            case InstallOutcome.Installed i -> {
                System.out.println("installed " + offer.preview().id() + " " + offer.preview().version()
                        + (i.replacedVersion() == null ? "" : " (replaced " + i.replacedVersion() + ")") + "; restart the gateway to load it");
                yield 0;
            }
            case InstallOutcome.AlreadyInstalled a -> {
                System.out.println(offer.preview().id() + " " + offer.preview().version() + " is already installed");
                yield 0;
            }
            case InstallOutcome.Refused r -> {
                System.out.println("refused " + r.source() + ": " + r.reason() + ": " + r.message());
                yield 1;
            }
        };
    }

    static int installFromRegistry(String spec, String registry, boolean yes) throws IOException {
        StateDir state = PluginsCommand.state();
        String id = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
        Optional<String> version = spec.contains("@") ? Optional.of(spec.substring(spec.indexOf('@') + 1)) : Optional.empty();
        try {
            RegistryClient c = client(state, registry);
            RegistryClient.Offer offer = c.prepare(id, version);
            return confirmAndInstall(new PluginInstaller(state), offer, yes, stdin());
        } catch (BoundedFetch.Refused e) {
            System.out.println("refused " + registry + ":" + spec + ": " + e.reason() + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("claw: " + e.getMessage());
            return 2;
        }
    }

    private static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search configured registries (verified index).")
    static final class Search implements Callable<Integer> {
        @Parameters(paramLabel = "QUERY")
        String query;

        @Option(names = "--registry", paramLabel = "NAME", description = "One registry (default: every configured one).")
        String registry;

        @Option(names = "--limit", defaultValue = "25")
        int limit;

        @Override
        public Integer call() throws Exception {
            int rc = 0;
            for (RegistryClient c : clients(PluginsCommand.state(), registry)) {
                try {
                    for (RegistryIndex.Entry e : c.search(query, limit)) {
                        System.out.println(c.registry().name() + ":" + e.id() + " " + e.version() + "  " + e.description()
                                + "  tools " + (e.tools() == null ? "?" : e.tools().stream().map(t -> t.name() + "[" + t.effect() + "]")
                                .collect(Collectors.joining(","))));
                    }
                } catch (BoundedFetch.Refused e) {
                    System.out.println("refused " + c.registry().name() + ": " + e.reason() + ": " + e.getMessage());
                    rc = 1;
                }
            }
            return rc;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show what a registry plugin may do, from its signed index entry.")
    static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "ID[@VERSION]")
        String spec;

        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Override
        public Integer call() throws Exception {
            String id = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
            Optional<String> version = spec.contains("@") ? Optional.of(spec.substring(spec.indexOf('@') + 1)) : Optional.empty();
            try {
                RegistryClient c = client(PluginsCommand.state(), registry);
                System.out.println(describe(c.info(id, version)));
                System.out.println("  versions: " + c.versions(id).stream().map(RegistryIndex.Entry::version).collect(Collectors.joining(", ")));
                c.installedManifest(id).ifPresent(m -> System.out.println("  installed: " + m.version()));
                return 0;
            } catch (BoundedFetch.Refused e) {
                System.out.println("refused " + registry + ":" + spec + ": " + e.reason() + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Update installed plugins from configured registries, showing the permission diff and asking first.")
    static final class Update implements Callable<Integer> {
        @Parameters(paramLabel = "PLUGIN_ID", arity = "0..1")
        String id;

        @Option(names = "--all", description = "Every installed plugin.")
        boolean all;

        @Option(names = "--registry", paramLabel = "NAME", description = "One registry (default: every configured one).")
        String registry;

        @Option(names = "--yes", description = "Update without asking (for scripts).")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            if ((id == null) == !all) {
                System.err.println("claw: name one PLUGIN_ID or pass --all");
                return 2;
            }
            StateDir state = PluginsCommand.state();
            PluginInstaller installer = new PluginInstaller(state);
            List<String> ids = id != null ? List.of(id)
                    : installer.installedAll().stream().map(PluginInstaller.Installed::id).distinct().sorted().toList();
            BufferedReader in = stdin();
            int rc = 0;
            List<RegistryClient> registries = clients(state, registry); // opened once, not per plugin
            for (String pid : ids) {
                boolean found = false;
                for (RegistryClient c : registries) {
                    try {
                        if (c.info(pid, Optional.empty()) == null) {
                            continue;
                        }
                    } catch (BoundedFetch.Refused e) {
                        if ("NOT_FOUND".equals(e.reason())) {
                            continue;
                        }
                        System.out.println("refused " + c.registry().name() + ":" + pid + ": " + e.reason() + ": " + e.getMessage());
                        rc = 1;
                        found = true;
                        break;
                    }
                    found = true;
                    try {
                        Optional<RegistryClient.Offer> offer = c.update(pid);
                        if (offer.isEmpty()) {
                            System.out.println(pid + " is up to date");
                        } else {
                            rc = Math.max(rc, confirmAndInstall(installer, offer.get(), yes, in));
                        }
                    } catch (BoundedFetch.Refused e) {
                        System.out.println("refused " + c.registry().name() + ":" + pid + ": " + e.reason() + ": " + e.getMessage());
                        rc = 1;
                    }
                    break;
                }
                if (!found) {
                    System.out.println(pid + ": in no configured registry");
                }
            }
            return rc;
        }
    }
}

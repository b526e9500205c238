package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.PluginInstaller;
import ai.clawbot.host.skills.PluginInstaller.Prepared;
import ai.clawbot.host.skills.PluginPreview;
import ai.clawbot.host.skills.PluginStates;
import ai.clawbot.host.skills.RefusedPlugin;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.PluginSigner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plugins", mixinStandardHelpOptions = true, description = "Sign, verify, install and manage skill plugins.",
        subcommands = {PluginsCommand.Sign.class, PluginsCommand.Verify.class, PluginsCommand.Install.class,
                PluginsCommand.ListPlugins.class, PluginsCommand.Remove.class, PluginsCommand.Enable.class,
                PluginsCommand.Disable.class, PluginsNewCommand.class,
                PluginsRegistryCommands.Search.class, PluginsRegistryCommands.Info.class, PluginsRegistryCommands.Update.class})
final class PluginsCommand {

    static StateDir state() {
        return StateDir.fromEnvironment(System.getenv());
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a plugin jar: writes JAR.sig. The key must be readable by its owner only.")
    static final class Sign implements Callable<Integer> {
        @Parameters(paramLabel = "JAR")
        Path jar;

        @Option(names = "--key", required = true,
                description = "Ed25519 private key: PKCS#8 PEM (encrypted or not) or OpenSSH (~/.ssh/id_ed25519).")
        Path key;

        @picocli.CommandLine.Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws Exception {
            java.util.Optional<java.security.KeyPair> pair = SigningKeyOption.load(key, passphrase);
            if (pair.isEmpty()) {
                return 2;
            }
            PrivateKey priv = pair.get().getPrivate();
            PublicKey pub = pair.get().getPublic();
            try {
                PluginSignature sig = PluginSigner.sign(Files.readAllBytes(jar), priv, pub, Instant.now());
                Path out = jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX);
                Files.write(out, sig.toBytes());
                System.out.println("signed " + jar.getFileName() + " (" + sig.statement().pluginId() + "@"
                        + sig.statement().version() + ") with key " + Keys.keyId(pub) + " -> " + out);
                return 0;
            } catch (java.io.IOException e) {
                System.err.println("claw: cannot sign " + jar + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a plugin jar against the trust store; exit 0 only when trusted and valid.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "JAR")
        String jar;

        @Override
        public Integer call() throws Exception {
            int rc = 0;
            for (Prepared p : new PluginInstaller(state()).prepare(jar)) {
                switch (p) {
                    case Prepared.Ready r -> {
                        System.out.println(r.preview().describe());
                        System.out.println("  trust: TRUSTED, signature valid");
                    }
                    case Prepared.Refused r -> {
                        System.out.println(r.refused().source() + ": NOT TRUSTED: " + r.refused().reason() + ": " + r.refused().message());
                        rc = 1;
                    }
                }
            }
            return rc;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Verify and install a plugin jar, a folder of jars, an http(s) URL, or ID[@VERSION] from --registry NAME, after showing what it may do.")
    static final class Install implements Callable<Integer> {
        @Parameters(paramLabel = "JAR|DIR|URL|ID[@VERSION]")
        String source;

        @Option(names = "--registry", paramLabel = "NAME", description = "Install ID[@VERSION] from this configured registry.")
        String registry;

        @Option(names = "--yes", description = "Install without asking (for scripts).")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            if (registry != null) {
                return PluginsRegistryCommands.installFromRegistry(source, registry, yes);
            }
            PluginInstaller installer = new PluginInstaller(state());
            List<Prepared> prepared = installer.prepare(source);
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int rc = 0;
            for (Prepared p : prepared) {
                if (p instanceof Prepared.Refused r) {
                    System.out.println("refused " + r.refused().source() + ": " + r.refused().reason() + ": " + r.refused().message());
                    rc = 1;
                    continue;
                }
                PluginPreview preview = ((Prepared.Ready) p).preview();
                System.out.println(preview.describe());
                if (!yes) {
                    System.out.print("Install " + preview.id() + " " + preview.version() + "? [y/N] ");
                    System.out.flush();
                    String answer = stdin.readLine();
                    if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                        System.out.println("not installed: not confirmed (pass --yes to install without asking)");
                        rc = 1;
                        continue;
                    }
                }
                switch (installer.install(preview)) {
                    case InstallOutcome.Installed i -> System.out.println("installed " + preview.id() + " " + preview.version()
                            + (i.replacedVersion() == null ? "" : " (replaced " + i.replacedVersion() + ")")
                            + "; restart the gateway to load it");
                    case InstallOutcome.AlreadyInstalled a -> System.out.println(preview.id() + " " + preview.version() + " is already installed");
                    case InstallOutcome.Refused r -> {
                        System.out.println("refused " + r.source() + ": " + r.reason() + ": " + r.message());
                        rc = 1;
                    }
                }
            }
            return rc;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List installed plugins, verified now.")
    static final class ListPlugins implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (SkillCatalog c = SkillCatalog.load(state())) {
                for (LoadedSkill s : c.skills()) {
                    System.out.println(s.id() + " " + s.manifest().version() + "  enabled   signer " + s.signerName() + " (" + s.signerKeyId() + ")");
                }
                for (LoadedSkill s : c.disabled()) {
                    System.out.println(s.id() + " " + s.manifest().version() + "  disabled  signer " + s.signerName() + " (" + s.signerKeyId() + ")");
                }
                for (RefusedPlugin r : c.refused()) {
                    System.out.println(r.file() + "  REFUSED  " + r.reason() + ": " + r.message());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an installed plugin.")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "PLUGIN_ID")
        String id;

        @Override
        public Integer call() throws Exception {
            if (!new PluginInstaller(state()).remove(id)) {
                System.err.println("claw: no installed plugin '" + id + "'");
                return 1;
            }
            System.out.println("removed " + id);
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an installed plugin.")
    static final class Enable implements Callable<Integer> {
        @Parameters(paramLabel = "PLUGIN_ID")
        String id;

        @Override
        public Integer call() throws Exception {
            return setEnabled(id, true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an installed plugin (kept, not loaded).")
    static final class Disable implements Callable<Integer> {
        @Parameters(paramLabel = "PLUGIN_ID")
        String id;

        @Override
        public Integer call() throws Exception {
            return setEnabled(id, false);
        }
    }

    static int setEnabled(String id, boolean enabled) throws Exception {
        StateDir state = state();
        if (new PluginInstaller(state).installedAll().stream().noneMatch(i -> i.id().equals(id))) {
            System.err.println("claw: no installed plugin '" + id + "'");
            return 1;
        }
        new PluginStates(state.plugins()).set(id, enabled);
        System.out.println(id + (enabled ? " enabled" : " disabled"));
        return 0;
    }
}

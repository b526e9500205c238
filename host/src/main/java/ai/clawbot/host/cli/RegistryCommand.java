package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.RegistryIndex;
import ai.clawbot.signing.RegistryIndexes;
import ai.clawbot.signing.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "registry", mixinStandardHelpOptions = true, description = "Signed plugin registry indexes.",
        subcommands = {RegistryCommand.Index.class, RegistryCommand.Verify.class, RegistryCommand.Publish.class,
                RegistryCommand.Serve.class, RegistryCommand.Add.class, RegistryCommand.ListRegistries.class,
                RegistryCommand.Remove.class})
final class RegistryCommand {

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Index a folder of signed jars into DIR/index.json and sign it (DIR/index.json.sig).")
    static final class Index implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Option(names = "--key", required = true, description = "The registry's private key (PKCS#8 PEM, encrypted or not, or OpenSSH).")
        Path key;

        @picocli.CommandLine.Mixin
        PassphraseOptions passphrase;

        @Option(names = "--serial", required = true, description = "Index serial; must grow with every new index.")
        long serial;

        @Option(names = "--valid-days", defaultValue = "30", description = "Days until the index expires (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            java.util.Optional<java.security.KeyPair> pair = SigningKeyOption.load(key, passphrase);
            if (pair.isEmpty()) {
                return 2;
            }
            PrivateKey priv = pair.get().getPrivate();
            PublicKey pub = pair.get().getPublic();
            RegistryIndex index = RegistryIndexes.build(dir, serial, Instant.now(), Duration.ofDays(days));
            byte[] bytes = RegistryIndexes.toBytes(index);
            Files.write(dir.resolve("index.json"), bytes);
            Files.write(dir.resolve("index.json.sig"), RegistryIndexes.sign(bytes, priv, pub));
            System.out.println("indexed " + index.plugins().size() + " plugins, serial " + serial + ", expires " + index.expiresAt());
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify an index (INDEX and INDEX.sig) against the trust store; refuses rollbacks and expired indexes.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "INDEX")
        Path index;

        @Override
        public Integer call() throws Exception {
            Path sig = index.resolveSibling(index.getFileName() + ".sig");
            TrustStore trust = TrustStore.open(StateDir.fromEnvironment(System.getenv()).trust());
            var checked = RegistryIndexes.verify(Files.readAllBytes(index), Files.exists(sig) ? Files.readAllBytes(sig) : null,
                    trust, Instant.now());
            switch (checked) {
                case RegistryIndexes.Checked.Accepted a -> {
                    System.out.println("index serial " + a.index().serial() + " signed by " + a.signerName() + ", expires " + a.index().expiresAt());
                    a.index().plugins().forEach(p -> System.out.println("  " + p.id() + " " + p.version() + "  " + p.jarSha256() + "  " + p.path()));
                    return 0;
                }
                case RegistryIndexes.Checked.Rejected r -> {
                    System.out.println("REFUSED " + r.reason() + ": " + r.message());
                    return 1;
                }
            }
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Add a signed jar (JAR.sig beside it) to a registry folder and re-sign its index (serial raised, expiry set).")
    static final class Publish implements Callable<Integer> {
        @Parameters(paramLabel = "JAR")
        Path jar;

        @Option(names = "--registry", required = true, paramLabel = "DIR", description = "The registry folder.")
        Path dir;

        @Option(names = "--key", required = true, description = "The registry's private key; NAME.pub beside it.")
        Path key;

        @picocli.CommandLine.Mixin
        PassphraseOptions passphrase;

        @Option(names = "--valid-days", defaultValue = "30", description = "Days until the index expires (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            java.util.Optional<java.security.KeyPair> pair = SigningKeyOption.load(key, passphrase);
            if (pair.isEmpty()) {
                return 2;
            }
            try {
                var p = ai.clawbot.host.registry.RegistryFolder.at(dir).publish(jar, pair.get(), Duration.ofDays(days), Instant.now());
                System.out.println("published " + p.entry().id() + " " + p.entry().version() + " (" + p.entry().jarSha256()
                        + ") to " + dir + "; index serial " + p.index().serial() + ", expires " + p.index().expiresAt());
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve a registry folder over HTTP: the signed index, jars and signatures, and ClawHub's read-only API.")
    static final class Serve implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Option(names = "--port", defaultValue = "18790", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
        String bind;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                System.err.println("claw: no such registry folder: " + dir);
                return 1;
            }
            var server = ai.clawbot.host.registry.RegistryServer.start(dir, bind, port);
            System.out.println("serving registry " + dir.toAbsolutePath() + " on http://" + bind + ":" + server.port() + "/");
            System.out.flush();
            java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stop.countDown();
            }));
            stop.await();
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Configure a registry by URL with the key(s) trusted to sign its index (not its plugins).")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL")
        String url;

        @Option(names = "--key", required = true, paramLabel = "PUB.pem", description = "An index key (public PEM); repeatable.")
        java.util.List<Path> keys;

        @Override
        public Integer call() throws Exception {
            java.util.List<PublicKey> pubs = new java.util.ArrayList<>();
            for (Path k : keys) {
                try {
                    pubs.add(Keys.readPublic(k));
                } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                    System.err.println("claw: cannot read key " + k + ": " + e.getMessage());
                    return 2;
                }
            }
            try {
                var r = ai.clawbot.host.registry.Registries.open(StateDir.fromEnvironment(System.getenv()).trust()).add(name, url, pubs);
                System.out.println("registry " + r.name() + " at " + r.url() + ", index keys " + String.join(", ", r.keyIds()));
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the configured registries.")
    static final class ListRegistries implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            for (var r : ai.clawbot.host.registry.Registries.open(StateDir.fromEnvironment(System.getenv()).trust()).all()) {
                System.out.println(r.name() + "  " + r.url() + "  index keys " + String.join(", ", r.keyIds()));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Forget a configured registry.")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!ai.clawbot.host.registry.Registries.open(StateDir.fromEnvironment(System.getenv()).trust()).remove(name)) {
                System.err.println("claw: no registry '" + name + "'");
                return 1;
            }
            System.out.println("removed registry " + name);
            return 0;
        }
    }
}

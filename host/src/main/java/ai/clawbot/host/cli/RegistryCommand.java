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
        subcommands = {RegistryCommand.Index.class, RegistryCommand.Verify.class})
final class RegistryCommand {

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Index a folder of signed jars into DIR/index.json and sign it (DIR/index.json.sig).")
    static final class Index implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Option(names = "--key", required = true, description = "The registry's private key; NAME.pub beside it.")
        Path key;

        @Option(names = "--serial", required = true, description = "Index serial; must grow with every new index.")
        long serial;

        @Option(names = "--valid-days", defaultValue = "30", description = "Days until the index expires (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            java.util.Optional<java.security.KeyPair> pair = SigningKeyOption.load(key);
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
}

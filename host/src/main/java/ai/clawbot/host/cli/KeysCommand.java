package ai.clawbot.host.cli;

import ai.clawbot.signing.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Publisher signing keys (Ed25519).",
        subcommands = {KeysCommand.Generate.class})
final class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate an Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (X.509 PEM).")
    static final class Generate implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "Folder to write the keys to.")
        Path out;

        @Option(names = "--name", defaultValue = "publisher", description = "Base file name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                System.err.println("claw: bad key name '" + name + "'");
                return 2;
            }
            if (Files.exists(out.resolve(name + ".key"))) {
                System.err.println("claw: " + out.resolve(name + ".key") + " exists; not overwriting a key");
                return 2;
            }
            KeyPair pair = Keys.generate();
            Keys.write(pair, out, name);
            System.out.println("private key: " + out.resolve(name + ".key") + " (mode 0600; keep it secret)");
            System.out.println("public key:  " + out.resolve(name + ".pub"));
            System.out.println("key id:      " + Keys.keyId(pair.getPublic()));
            return 0;
        }
    }
}

package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.secrets.OnePasswordSecrets;
import ai.clawbot.host.secrets.SecretReferences;
import ai.clawbot.host.secrets.SecretNames;
import ai.clawbot.host.secrets.SecretsException;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code claw secrets}: the encrypted vault skills' secrets come from. Exit codes: 0 done, 1 no such secret
 * or the vault cannot be used (the message says why), 2 bad input.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "The encrypted secrets vault ($OPENCLAW_STATE_DIR/secrets; key: OPENCLAW_VAULT_KEY or secrets/vault.key).",
        subcommands = {SecretsCommand.SetSecret.class, SecretsCommand.ListSecrets.class, SecretsCommand.RemoveSecret.class,
                SecretsCommand.CheckReferences.class})
public final class SecretsCommand {

    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean mayPrompt;

    /** The command as {@code claw} runs it: the process's environment and streams. */
    public SecretsCommand() {
        this(System.getenv(), System.in, System.out, System.err, true);
    }

    /** For tests and embedding: this environment and these streams; never prompts on the terminal. */
    public SecretsCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this(env, in, out, err, false);
    }

    private SecretsCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean mayPrompt) {
        this.env = Map.copyOf(env);
        this.in = in;
        this.out = out;
        this.err = err;
        this.mayPrompt = mayPrompt;
    }

    FileVault vault() throws SecretsException {
        return FileVault.open(StateDir.fromEnvironment(env), env);
    }

    int fail(int code, String message) {
        err.println("claw: " + message);
        return code;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {
            "Store a secret, replacing its value if it exists.",
            "The value comes from standard input (all of it, one trailing newline removed; prompted for without echo "
                    + "on a terminal) or from --from-file (byte for byte); never from the command line, which `ps` shows.",
            "Example: printf %%s \"$TOKEN\" | claw secrets set GITHUB_TOKEN"})
    static final class SetSecret implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Parameters(paramLabel = "NAME", description = "Secret name, as skill manifests list it: " + SecretNames.RULE)
        String name;

        @Option(names = "--from-file", paramLabel = "PATH", description = "Read the value from this file instead of standard input.")
        Path fromFile;

        @Override
        public Integer call() {
            try {
                // Checked before reading: a typo must not first swallow the value from stdin.
                SecretNames.requireValid(name);
            } catch (IllegalArgumentException e) {
                return parent.fail(2, e.getMessage());
            }
            byte[] value = null;
            try {
                value = fromFile != null ? readFile(fromFile) : parent.readValue(name);
                FileVault vault = parent.vault();
                vault.set(name, value);
                parent.out.println("stored secret " + name + " (" + value.length + " bytes) in " + vault.file());
                return 0;
            } catch (IllegalArgumentException e) {
                return parent.fail(2, e.getMessage());
            } catch (SecretsException e) {
                return parent.fail(1, e.getMessage());
            } finally {
                if (value != null) {
                    Arrays.fill(value, (byte) 0);
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the stored secrets' names (never their values).",
            "A secret stored as an op:// reference shows the reference; then the op:// references in openclaw.json."})
    static final class ListSecrets implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            try {
                FileVault vault = parent.vault();
                java.util.Map<String, String> refs = new java.util.HashMap<>();
                for (SecretReferences.Found f : SecretReferences.inVault(vault)) {
                    refs.put(f.where().substring("vault secret ".length()), f.reference());
                }
                vault.names().forEach(n -> parent.out.println(refs.containsKey(n) ? n + "  -> " + refs.get(n) : n));
                for (SecretReferences.Found f : SecretReferences.inConfig(parent.config())) {
                    parent.out.println("openclaw.json " + f.where() + "  -> " + f.reference());
                }
                return 0;
            } catch (SecretsException e) {
                return parent.fail(1, e.getMessage());
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = {
            "Resolve every op:// reference (vault secrets stored as references, and openclaw.json values) through "
                    + "1Password Connect (" + OnePasswordSecrets.URL_PATH + ", token " + OnePasswordSecrets.TOKEN_SECRET
                    + "); print ok or the cause for each, never a value. Exit 1 when any fails."})
    static final class CheckReferences implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            try {
                FileVault vault = parent.vault();
                com.fasterxml.jackson.databind.JsonNode config = parent.config();
                java.util.List<SecretReferences.Found> all = new java.util.ArrayList<>(SecretReferences.inVault(vault));
                all.addAll(SecretReferences.inConfig(config));
                if (all.isEmpty()) {
                    parent.out.println("no op:// references");
                    return 0;
                }
                // Nothing kept: each reference is resolved afresh and the value dropped at once.
                OnePasswordSecrets resolver = OnePasswordSecrets.create(() -> OnePasswordSecrets.Connection
                        .fromPlugins(config.path("plugins")).map(c -> new OnePasswordSecrets.Connection(c.url(),
                                java.time.Duration.ZERO)), vault, java.time.Clock.systemUTC());
                int failed = 0;
                for (SecretReferences.Found f : all) {
                    try {
                        resolver.resolve(f.reference(), f.where());
                        parent.out.println("ok    " + f.where() + "  " + f.reference());
                    } catch (SecretsException e) {
                        failed++;
                        parent.out.println("FAIL  " + e.getMessage());
                    }
                }
                parent.out.println(all.size() - failed + " of " + all.size() + " references resolve");
                return failed == 0 ? 0 : 1;
            } catch (SecretsException e) {
                return parent.fail(1, e.getMessage());
            }
        }
    }

    /** openclaw.json as on disk ({@code {}} when absent or unreadable: the references there are then none). */
    com.fasterxml.jackson.databind.JsonNode config() {
        java.nio.file.Path file = StateDir.fromEnvironment(env).configFile();
        try {
            return Files.exists(file) ? ai.clawbot.host.config.ConfigStore.open(file).inspect()
                    : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        } catch (ai.clawbot.host.config.ConfigException e) {
            err.println("claw: openclaw.json cannot be read (" + e.getMessage() + "); its references are not listed");
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a secret; exit 1 if there is none by that name.")
    static final class RemoveSecret implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try {
                if (!parent.vault().remove(name)) {
                    return parent.fail(1, "no secret named " + name);
                }
                parent.out.println("removed secret " + name);
                return 0;
            } catch (IllegalArgumentException e) {
                return parent.fail(2, e.getMessage());
            } catch (SecretsException e) {
                return parent.fail(1, e.getMessage());
            }
        }
    }

    /** The value from the terminal without echo, else all of standard input minus one trailing newline. */
    byte[] readValue(String name) {
        Console console = mayPrompt ? System.console() : null;
        if (isTerminal(console)) {
            char[] typed = console.readPassword("value of %s (not shown): ", name);
            if (typed == null) {
                throw new IllegalArgumentException("no value entered for " + name);
            }
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
            Arrays.fill(typed, '\0');
            byte[] value = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
            Arrays.fill(encoded.array(), (byte) 0);
            return value;
        }
        byte[] all;
        try {
            all = readBounded(in, "standard input");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read standard input: " + e.getMessage());
        }
        return stripOneNewline(all);
    }

    /** {@code echo} and here-strings end the value with a newline the secret never had; one is removed, no more. */
    static byte[] stripOneNewline(byte[] value) {
        int end = value.length;
        if (end > 0 && value[end - 1] == '\n') {
            end--;
            if (end > 0 && value[end - 1] == '\r') {
                end--;
            }
        }
        if (end == value.length) {
            return value;
        }
        byte[] stripped = Arrays.copyOf(value, end);
        Arrays.fill(value, (byte) 0);
        return stripped;
    }

    static byte[] readFile(Path file) {
        try (InputStream s = Files.newInputStream(file)) {
            return readBounded(s, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads at most one byte past the limit, so an endless or huge input is refused without filling memory. */
    private static byte[] readBounded(InputStream s, String what) throws IOException {
        byte[] value = s.readNBytes(FileVault.MAX_VALUE_BYTES + 1);
        if (value.length > FileVault.MAX_VALUE_BYTES) {
            Arrays.fill(value, (byte) 0);
            throw new IllegalArgumentException(what + " holds more than " + FileVault.MAX_VALUE_BYTES
                    + " bytes, the limit for a secret value");
        }
        return value;
    }

    /**
     * Whether both standard streams are a terminal. On JDK 21 a console exists only then; from JDK 22 one
     * always exists and {@code isTerminal()} (called reflectively: this module targets 21) tells.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

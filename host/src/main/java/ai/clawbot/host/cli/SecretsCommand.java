package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.FileVault;
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
        subcommands = {SecretsCommand.SetSecret.class, SecretsCommand.ListSecrets.class, SecretsCommand.RemoveSecret.class})
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

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the stored secrets' names (never their values).")
    static final class ListSecrets implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            try {
                parent.vault().names().forEach(parent.out::println);
                return 0;
            } catch (SecretsException e) {
                return parent.fail(1, e.getMessage());
            }
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

package ai.clawbot.host.cli;

import ai.clawbot.signing.KeyFileException;
import ai.clawbot.signing.KeyFileException.Problem;
import ai.clawbot.signing.Passphrase;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a key's passphrase comes from: {@code --passphrase-file FILE} (its first line), {@code --passphrase-env
 * NAME} (for CI), else a terminal prompt without echo. A mixin of every command that takes {@code --key}.
 */
final class PassphraseOptions {

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the key's passphrase from the first line of FILE (instead of a prompt).")
    Path file;

    @Option(names = "--passphrase-env", paramLabel = "NAME",
            description = "Read the key's passphrase from the environment variable NAME (instead of a prompt).")
    String env;

    private final Map<String, String> environment;

    PassphraseOptions() {
        this(System.getenv());
    }

    PassphraseOptions(Map<String, String> environment) {
        this.environment = environment;
    }

    /** For reading a key: asked only when the key turns out to be encrypted. */
    Passphrase forReading() {
        return keyFile -> {
            Optional<char[]> given = given();
            if (given.isPresent()) {
                return given.get();
            }
            Console console = System.console();
            if (!isTerminal(console)) {
                return Passphrase.none().forKey(keyFile);
            }
            char[] typed = console.readPassword("passphrase for %s: ", keyFile);
            if (typed == null) {
                throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "no passphrase entered for " + keyFile);
            }
            return typed;
        };
    }

    /** For protecting a key: the given passphrase, or one typed twice on the terminal. */
    char[] forNewKey(Path keyFile) throws IOException, KeyFileException {
        Optional<char[]> given = given();
        if (given.isPresent()) {
            return given.get();
        }
        Console console = System.console();
        if (!isTerminal(console)) {
            throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "no terminal to ask a passphrase for " + keyFile
                    + ": give --passphrase-file FILE or --passphrase-env NAME");
        }
        char[] first = console.readPassword("new passphrase for %s: ", keyFile);
        char[] again = console.readPassword("the same passphrase again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "the passphrases differ; nothing written");
        }
        Arrays.fill(again, '\0');
        return first;
    }

    /** Whether a terminal is attached (then keys are encrypted by default and passphrases are prompted). */
    static boolean terminal() {
        return isTerminal(System.console());
    }

    private Optional<char[]> given() throws IOException, KeyFileException {
        if (file != null && env != null) {
            throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "give --passphrase-file or --passphrase-env, not both");
        }
        if (file != null) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return Optional.of(nonEmpty(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, "file " + file));
        }
        if (env != null) {
            String value = environment.get(env);
            if (value == null) {
                throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "environment variable " + env + " is not set");
            }
            return Optional.of(nonEmpty(value, "environment variable " + env));
        }
        return Optional.empty();
    }

    private static char[] nonEmpty(String value, String where) throws KeyFileException {
        if (value.isEmpty()) {
            throw new KeyFileException(Problem.PASSPHRASE_NEEDED, "the passphrase in " + where + " is empty");
        }
        return value.toCharArray();
    }

    /** Java 22+ always has a console; {@code isTerminal()} (reflective: this module targets 21) tells. */
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

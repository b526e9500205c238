package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.signing.KeyRotations;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.TrustStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trust", mixinStandardHelpOptions = true,
        description = "The trust store: pinned publisher keys, revocations, minimum versions.",
        subcommands = {TrustCommand.Add.class, TrustCommand.ListKeys.class, TrustCommand.Revoke.class,
                TrustCommand.RevokeJar.class, TrustCommand.MinVersion.class, TrustCommand.Rotate.class})
final class TrustCommand {

    static TrustStore store() throws java.io.IOException {
        return TrustStore.open(StateDir.fromEnvironment(System.getenv()).trust());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Trust a publisher's public key: PEM, or an OpenSSH ssh-ed25519 .pub file.")
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "PUBKEY")
        Path key;

        @Option(names = "--name", required = true, description = "A name for this publisher.")
        String name;

        @Override
        public Integer call() throws Exception {
            try {
                TrustStore.TrustedKey k = store().add(Keys.readPublic(key), name);
                System.out.println("trusted " + k.name() + " (" + k.keyId() + ")");
                return 0;
            } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
                System.err.println("claw: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List trusted keys, revocations and minimum versions.")
    static final class ListKeys implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            TrustStore t = store();
            KeyRotations.View view = t.rotations();
            System.out.println("trusted keys:");
            for (TrustStore.TrustedKey k : view.trusted()) {
                String until = view.chain().stream().filter(r -> r.oldKeyId().equals(k.keyId())).findFirst()
                        .map(r -> "  (rotated; trusted until " + r.graceUntil() + ")").orElse("");
                System.out.println("  " + k.name() + "  " + k.keyId() + until);
            }
            System.out.println("rotations:");
            for (KeyRotations.Rotation r : view.chain()) {
                System.out.println("  " + r.name() + "  " + r.oldKeyId() + " -> " + r.newKeyId() + "  old key "
                        + (r.oldRetired() ? "retired " : "trusted until ") + r.graceUntil());
            }
            for (KeyRotations.Ignored i : view.ignored()) {
                System.out.println("  IGNORED " + i.file() + ": " + i.reason());
            }
            System.out.println("revoked keys:");
            for (TrustStore.Revocation r : t.revocations("keys")) {
                System.out.println("  " + r.id() + "  " + r.at() + "  " + r.reason());
            }
            System.out.println("revoked jars:");
            for (TrustStore.Revocation r : t.revocations("jars")) {
                System.out.println("  " + r.id() + "  " + r.at() + "  " + r.reason());
            }
            System.out.println("minimum versions:");
            for (Map.Entry<String, String> e : t.minimumVersions().entrySet()) {
                System.out.println("  " + e.getKey() + " >= " + e.getValue());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key by its id: every plugin it signed is refused from the next load on.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "KEYID")
        String keyId;

        @Option(names = "--reason", defaultValue = "revoked by operator")
        String reason;

        @Override
        public Integer call() throws Exception {
            try {
                store().revokeKey(keyId, reason);
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            System.out.println("revoked key " + keyId + "; restart the gateway to unload what it signed");
            return 0;
        }
    }

    @Command(name = "revoke-jar", mixinStandardHelpOptions = true, description = "Revoke one jar by its SHA-256.")
    static final class RevokeJar implements Callable<Integer> {
        @Parameters(paramLabel = "SHA256")
        String sha;

        @Option(names = "--reason", defaultValue = "revoked by operator")
        String reason;

        @Override
        public Integer call() throws Exception {
            try {
                store().revokeJar(sha, reason);
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            System.out.println("revoked jar " + sha);
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Install a key rotation statement (from claw keys rotate): NEW is trusted for OLD's publisher,"
                    + " OLD until the grace period ends. Refused unless OLD is trusted, neither key is revoked and both signed.")
    static final class Rotate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                System.err.println("claw: cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            return switch (store().acceptRotation(bytes)) {
                case KeyRotations.Outcome.Accepted a -> {
                    System.out.println((a.alreadyKnown() ? "already installed: " : "rotation installed: ") + a.rotation().name()
                            + "  " + a.rotation().oldKeyId() + " -> " + a.rotation().newKeyId() + "; old key trusted until "
                            + a.rotation().graceUntil());
                    yield 0;
                }
                case KeyRotations.Outcome.Refused r -> {
                    System.err.println("claw: rotation refused (" + r.reason() + "): " + r.message());
                    yield 1;
                }
            };
        }
    }

    @Command(name = "min-version", mixinStandardHelpOptions = true,
            description = "Refuse versions of a plugin below VERSION (can only be raised).")
    static final class MinVersion implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PLUGIN_ID")
        String id;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() throws Exception {
            try {
                store().raiseMinimumVersion(id, version);
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            System.out.println(id + " >= " + version);
            return 0;
        }
    }
}

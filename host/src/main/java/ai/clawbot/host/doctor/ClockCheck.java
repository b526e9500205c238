package ai.clawbot.host.doctor;

import ai.clawbot.host.skills.InstalledPlugins;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The clock is sane for signature and expiry checks: not before this build, nor before the newest plugin signature
 * or trust-store revocation (a clock in the past would accept an expired registry index and misdate revocations).
 */
record ClockCheck() implements DoctorCheck {

    /** Clocks of two machines disagree a little; more than this is a wrong clock. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        Instant now = Instant.now();
        List<String> ahead = new ArrayList<>();
        buildTime().filter(t -> t.isAfter(now.plus(TOLERANCE))).ifPresent(t -> ahead.add("this build is from " + t));
        try {
            for (InstalledPlugins.Installed p : InstalledPlugins.scan(c.state())) {
                p.signedAt().flatMap(ClockCheck::parse).filter(t -> t.isAfter(now.plus(TOLERANCE)))
                        .ifPresent(t -> ahead.add(p.file() + " was signed at " + t));
            }
            List<String> kinds = Files.isDirectory(c.state().trust().resolve("keys")) ? List.of("keys", "jars") : List.of();
            TrustStore trust = kinds.isEmpty() ? null : TrustStore.open(c.state().trust());
            for (String kind : kinds) {
                for (TrustStore.Revocation r : trust.revocations(kind)) {
                    parse(r.at()).filter(t -> t.isAfter(now.plus(TOLERANCE)))
                            .ifPresent(t -> ahead.add("a revocation is dated " + t));
                }
            }
        } catch (IOException e) {
            return List.of(DoctorResult.warn("clock", "signatures not compared: " + e.getMessage(), "see the plugins line"));
        }
        if (ahead.isEmpty()) {
            return List.of(DoctorResult.ok("clock", "now is " + now + ", after this build and every signature"));
        }
        return List.of(DoctorResult.fail("clock", "the clock (" + now + ") is behind: " + String.join("; ", ahead),
                "set the clock (timedatectl set-ntp true, or chronyc makestep)"));
    }

    private static java.util.Optional<Instant> parse(String s) {
        try {
            return java.util.Optional.of(Instant.parse(s));
        } catch (DateTimeParseException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    /** When the running host classes were built: the jar's (or classes folder's) modification time. */
    static java.util.Optional<Instant> buildTime() {
        try {
            Path p = Path.of(ClockCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return java.util.Optional.of(Files.getLastModifiedTime(p).toInstant());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}

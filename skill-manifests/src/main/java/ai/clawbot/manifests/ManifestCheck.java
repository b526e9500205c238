package ai.clawbot.manifests;

import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.List;
import java.util.stream.Collectors;

/** The outcome of validating a manifest: a bound manifest, or every violation with its JSON path. */
public sealed interface ManifestCheck {

    record Valid(SkillManifest manifest) implements ManifestCheck {
    }

    record Invalid(List<Violation> violations) implements ManifestCheck {

        public Invalid {
            violations = List.copyOf(violations);
        }

        /** One line per violation, e.g. {@code $.tools[0].effect: must be one of [read, write, ...]}. */
        public String describe() {
            return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        }
    }

    /** A violation at a JSON path ({@code $.permissions.workspace}) with the reason. */
    record Violation(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }
}

package ai.clawbot.host.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What {@link ConfigStore#load()} found: the file itself, or, when the file is broken, the last-known-good copy.
 * (When neither is usable, {@code load} throws instead: the gateway never starts half-configured.)
 */
public sealed interface Loaded permits Loaded.Fresh, Loaded.LastKnownGood {

    /** The configuration to run with (a copy). */
    ObjectNode config();

    /** The hash of {@code openclaw.json} as on disk: the {@code baseHash} for the next write (see {@link ConfigStore}). */
    String hash();

    /** {@code openclaw.json} is valid (or absent: the empty config) and is what runs. */
    record Fresh(ObjectNode config, String hash) implements Loaded {
        public Fresh {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(hash, "hash");
        }
    }

    /**
     * {@code openclaw.json} is broken ({@code problem} says exactly how); the gateway runs on the
     * last-known-good copy and must say so loudly. The broken file is left as it is for the operator to fix.
     */
    record LastKnownGood(ObjectNode config, String hash, ConfigException problem) implements Loaded {
        public LastKnownGood {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(problem, "problem");
        }
    }
}

package ai.clawbot.host.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration the gateway runs on, as {@code config.get} reports it.
 *
 * @param config            the configuration (a copy: changing it changes nothing in the store). Not redacted;
 *                          use {@link ConfigStore#redacted()} for anything sent to a client
 * @param hash              the hash of {@code openclaw.json} as last read or written: the {@code baseHash}
 *                          for the next write
 * @param fromLastKnownGood true when the file is broken and {@code config} comes from the last-known-good copy
 * @param problem           what is wrong with the file, when {@code fromLastKnownGood}
 */
public record Snapshot(ObjectNode config, String hash, boolean fromLastKnownGood, Optional<ConfigException> problem) {

    public Snapshot {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(problem, "problem");
        if (fromLastKnownGood != problem.isPresent()) {
            throw new IllegalArgumentException("a snapshot is from the last-known-good copy exactly when it carries a problem");
        }
    }
}

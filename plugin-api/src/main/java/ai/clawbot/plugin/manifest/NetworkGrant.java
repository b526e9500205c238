package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A destination the operator may add to a skill's egress allowlist, bounded by the signed manifest: the
 * value of the setting at {@code setting} (a dotted path into {@code plugins.entries.<id>.config}) is a
 * {@code host:port}, an {@code http(s)} URL, or a list of them; each must use one of {@code ports} and (for
 * URLs) one of {@code schemes} (empty = any). {@code anyHost} lets the operator write {@code *:PORT}, meaning
 * any public host on that port (internal addresses stay refused).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record NetworkGrant(String setting, List<Integer> ports, List<String> schemes, String description,
                           boolean anyHost) {

    public NetworkGrant {
        ports = ports == null ? List.of() : List.copyOf(ports);
        schemes = schemes == null ? List.of() : List.copyOf(schemes);
        description = description == null ? "" : description;
    }
}

package ai.clawbot.host.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Which installed plugins an operator disabled: {@code plugins/disabled.json}. */
public final class PluginStates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public PluginStates(Path pluginsDir) {
        this.file = pluginsDir.resolve("disabled.json");
    }

    public synchronized Set<String> disabled() throws IOException {
        Set<String> out = new TreeSet<>();
        if (Files.exists(file)) {
            JsonNode n = JSON.readTree(file.toFile());
            if (n != null) {
                n.path("disabled").forEach(id -> out.add(id.asText()));
            }
        }
        return out;
    }

    public synchronized void set(String id, boolean enabled) throws IOException {
        Set<String> d = disabled();
        if (enabled) {
            d.remove(id);
        } else {
            d.add(id);
        }
        ObjectNode o = JSON.createObjectNode();
        d.forEach(o.putArray("disabled")::add);
        ai.clawbot.signing.AtomicFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    }
}

package ai.clawbot.host.gateway;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The methods a gateway serves; {@code hello-ok.features.methods} lists exactly these. */
public final class MethodTable {

    private final Map<String, MethodSpec> specs;

    private MethodTable(Map<String, MethodSpec> specs) {
        this.specs = Map.copyOf(specs);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<MethodSpec> get(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    public List<String> names() {
        return specs.keySet().stream().sorted().toList();
    }

    public Collection<MethodSpec> all() {
        return specs.values();
    }

    public static final class Builder {
        private final Map<String, MethodSpec> specs = new LinkedHashMap<>();

        public Builder add(MethodSpec spec) {
            if (specs.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalStateException("method " + spec.name() + " registered twice");
            }
            return this;
        }

        public Builder addAll(Collection<MethodSpec> all) {
            all.forEach(this::add);
            return this;
        }

        public MethodTable build() {
            return new MethodTable(specs);
        }
    }
}

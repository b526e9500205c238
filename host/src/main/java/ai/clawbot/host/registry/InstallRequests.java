package ai.clawbot.host.registry;

import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.SkillService;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Install requests from agents: the {@code clawhub} skill's {@code install} and {@code update} calls. Before the
 * operator is asked, the gateway (never the skill) fetches and verifies the plugin from a configured registry, so
 * the approval carries the preview and the permission diff; on a yes it installs exactly the bytes that were
 * previewed. These calls are never pre-approvable: {@code approvals.autoApprove} does not cover them.
 */
public final class InstallRequests {

    public static final String SKILL = "clawhub";

    private final SkillService skills;

    private InstallRequests(SkillService skills) {
        this.skills = skills;
    }

    public static InstallRequests create(SkillService skills) {
        return new InstallRequests(skills);
    }

    /** The skill's settings plus {@code installed}: the loaded plugins' versions as a JSON object (id → version). */
    public java.util.Map<String, String> withInstalled(java.util.Map<String, String> settings) {
        com.fasterxml.jackson.databind.node.ObjectNode installed = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var c = skills.catalog();
        java.util.stream.Stream.concat(c.skills().stream(), c.disabled().stream())
                .forEach(s -> installed.put(s.id(), s.manifest().version()));
        java.util.Map<String, String> out = new java.util.HashMap<>(settings);
        out.put("installed", installed.toString());
        return out;
    }

    /** True for the tools whose calls are install requests. */
    public static boolean isInstallRequest(String skill, String tool) {
        return SKILL.equals(skill) && ("install".equals(tool) || "update".equals(tool));
    }

    /** What the gateway found for a request: an offer to put before the operator, or why there is none. */
    public sealed interface Proposal {
        record Offered(String registry, RegistryClient.Offer offer) implements Proposal {
            /** The approval's text: what is asked, from where, the plugin's powers and the diff. */
            public String describe() {
                return "INSTALL REQUEST from registry " + registry + ": " + (offer.diff().fresh() ? "install " : "update to ")
                        + offer.preview().id() + " " + offer.preview().version()
                        + (offer.diff().widens() ? " (WIDENS permissions)" : "") + "\n" + offer.describe();
            }
        }

        record Refused(String reason, String message) implements Proposal {
        }
    }

    /** Finds and verifies the plugin a request names, in the first configured registry that lists it. */
    public Proposal propose(String tool, JsonNode args) {
        String id = args.path("id").asText("");
        Optional<String> version = Optional.ofNullable(args.path("version").asText(null)).filter(v -> !v.isBlank());
        List<Registries.Registry> registries;
        try {
            registries = Registries.open(skills.state().trust()).all();
        } catch (IOException e) {
            return new Proposal.Refused("REGISTRIES_UNREADABLE", e.getMessage());
        }
        if (registries.isEmpty()) {
            return new Proposal.Refused("NO_REGISTRY", "no registry is configured for the gateway (claw registry add)");
        }
        List<String> misses = new ArrayList<>();
        for (Registries.Registry r : registries) {
            RegistryClient c = RegistryClient.create(skills.state(), r, skills.installer());
            try {
                if ("update".equals(tool)) {
                    Optional<RegistryClient.Offer> o = c.update(id);
                    if (o.isEmpty()) {
                        return new Proposal.Refused("UP_TO_DATE", id + " is already at the newest version " + r.name() + " has");
                    }
                    return new Proposal.Offered(r.name(), o.get());
                }
                return new Proposal.Offered(r.name(), c.prepare(id, version));
            } catch (BoundedFetch.Refused e) {
                if (!"NOT_FOUND".equals(e.reason())) {
                    return new Proposal.Refused(e.reason(), e.getMessage());
                }
                misses.add(r.name());
            }
        }
        return new Proposal.Refused("NOT_FOUND", "no configured registry has " + id + version.map(v -> "@" + v).orElse("")
                + " (looked in " + String.join(", ", misses) + ")");
    }

    /** Installs what the operator approved (the previewed bytes) and reloads the catalog; a refusal if that fails. */
    public Optional<String> install(Proposal.Offered approved) {
        try {
            InstallOutcome o = skills.installer().install(approved.offer().preview());
            if (o instanceof InstallOutcome.Refused r) {
                return Optional.of(r.reason() + ": " + r.message());
            }
            if (o instanceof InstallOutcome.Installed) {
                skills.reload();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("INSTALL_FAILED: " + e.getMessage());
        }
    }
}

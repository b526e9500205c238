package ai.clawbot.host.sandbox;

import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.signing.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * Which warm container may serve a call: one per (agent, session scope, skill jar, effective policy).
 * Anything that changes what the container may do (workspace path and mode, limits, network, secrets,
 * settings) changes the policy hash, so a call never reuses a container made for other permissions.
 */
public record PoolKey(String agentId, String scope, String skillId, String jarSha256, String policyHash) {

    /** {@code secretsDigest}: a salted digest of the secret values, so rotating a secret restarts the container. */
    public static PoolKey of(SandboxCall call, String secretsDigest) {
        Permissions p = call.skill().manifest().permissions();
        String policy = String.join("\n",
                "workspace=" + p.workspace().wire() + ":" + call.workspace(),
                "resources=" + p.resources(),
                "network=" + call.skill().manifest().network().allow(),
                "secrets=" + p.secrets() + "@" + secretsDigest,
                "settings=" + new java.util.TreeMap<>(call.settings()),
                // The operator's settings and grants: changing either gives fresh containers.
                "config=" + call.skill().config().settings(),
                "grants=" + call.skill().config().grants().stream()
                        .map(g -> g + " " + g.name() + " allowPrivate=" + g.allowPrivate()).toList(),
                "image=" + call.skill().manifest().sandbox().image());
        return new PoolKey(call.agentId(), call.scope(), call.skill().id(), call.skill().jarSha256(),
                Sha256.hex(policy.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    /** Docker label value (also shown by {@code claw sandbox list}). */
    public String label() {
        return agentId + "/" + scope + "/" + skillId + "/" + policyHash;
    }
}

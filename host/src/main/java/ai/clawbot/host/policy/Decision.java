package ai.clawbot.host.policy;

import java.util.Objects;

/** The policy's answer for one tool call. */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

    /** The call may run (after approval, when its effect needs one) with exactly these permissions. */
    record Allowed(EffectivePermissions permissions) implements Decision {
        public Allowed {
            Objects.requireNonNull(permissions, "permissions");
        }
    }

    /**
     * The call must not run, and no container may start.
     *
     * @param layer  the refusing layer's name, or {@link #REQUEST} / {@link #CATALOG} for a bad or unknown name,
     *               {@link #PREVIEW} for an approval preview tool
     * @param reason a sentence for the model and the audit log
     * @param rule   which rule of that layer refused, as configured: {@code tools.deny: workspace.exec},
     *               {@code skills.allow}, {@code permissions.workspace: ro}; {@code ""} when none applies
     */
    record Denied(String layer, String reason, String rule) implements Decision {
        public static final String REQUEST = "request";
        public static final String CATALOG = "catalog";
        /** The tool is another tool's approval preview, which only the gateway itself calls. */
        public static final String PREVIEW = "preview";

        public Denied {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(reason, "reason");
            rule = rule == null ? "" : rule;
        }

        public Denied(String layer, String reason) {
            this(layer, reason, "");
        }
    }
}

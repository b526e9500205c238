package ai.clawbot.host.security;

import java.util.List;

/** {@code gateway.auth.mode} other than {@code token}. The gateway refuses to start with {@code none}; say so early. */
record AuthModeCheck() implements AuditCheck {

    static final String ID = "gateway.auth_disabled";

    @Override
    public List<Finding> run(AuditContext c) {
        String mode = c.config().path("gateway").path("auth").path("mode").asText("token");
        if ("token".equals(mode)) {
            return List.of();
        }
        return List.of(Finding.critical(ID, "gateway auth is '" + mode + "'",
                "without the token any local process or web page that reaches the port drives the agents"
                        + " (this gateway refuses to start so configured)",
                "remove gateway.auth.mode from " + c.state().configFile() + " or set it to \"token\""));
    }
}

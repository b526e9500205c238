package ai.clawbot.host.security;

import java.util.ArrayList;
import java.util.List;

/**
 * An agent that can both read a secret and send data out: one prompt injection away from mailing the secret to
 * an attacker (the "lethal trifecta" minus nothing: the agent reads untrusted content by design).
 */
record SecretExfiltrationCheck() implements AuditCheck {

    static final String ID = "agents.secret_and_egress";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (AgentTools a : AgentTools.of(c)) {
            List<String> readers = a.tools().stream().filter(AgentTools.Tool::revealsSecrets).map(AgentTools.Tool::name).toList();
            List<String> senders = a.tools().stream().filter(AgentTools.Tool::sendsOut).map(AgentTools.Tool::name).toList();
            if (readers.isEmpty() || senders.isEmpty()) {
                continue;
            }
            out.add(Finding.critical(ID, "agent '" + a.agent().id() + "' can read secrets and send data out",
                    "secret-revealing: " + String.join(", ", readers) + "; sending: " + String.join(", ", senders)
                            + ". A prompt injection in anything it reads can exfiltrate the secret",
                    "split the work between two agents, or deny one side in agents.list[id=" + a.agent().id()
                            + "].tools.deny (e.g. \"" + senders.get(0) + "\")"));
        }
        return out;
    }
}

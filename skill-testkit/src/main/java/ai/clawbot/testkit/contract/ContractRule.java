package ai.clawbot.testkit.contract;

/** The rules every skill passes in its sandbox; each failure names its rule and how to fix it. */
public enum ContractRule {

    MANIFEST("the manifest is valid, every input schema compiles and every tool declares examples"),
    EXAMPLES("every tool answers each of its examples with a well-formed result"),
    PATHS("tools that take paths refuse '..', absolute paths, symlinks out of the workspace and links to /run/secrets"),
    NETWORK("a sandbox reaches no network it was not granted"),
    ENV("no process in the sandbox holds a gateway token, the vault key, a secret's value or an OPENCLAW_* variable in its environment"),
    TIMEOUT("every call ends within the manifest's timeout, and a call past it is killed");

    private final String statement;

    ContractRule(String statement) {
        this.statement = statement;
    }

    public String statement() {
        return statement;
    }
}

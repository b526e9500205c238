package ai.clawbot.testkit.contract;

import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hostile paths the contract hands to every path argument, and the workspace links they go through. Read
 * targets exist in every sandbox ({@code /etc/passwd}); write targets land on the sandbox's writable
 * {@code /tmp}, where the probe looks for them afterwards.
 */
final class HostilePaths {

    /** A line every /etc/passwd holds: seeing it in an answer means the tool read outside the workspace. */
    static final String PASSWD_MARK = "root:x:0:0:";
    static final String LINK_ETC = "claw-contract-etc";
    static final String LINK_TMP = "claw-contract-tmp";
    static final String LINK_SECRETS = "claw-contract-secrets";

    private static final Pattern PATH_ARG = Pattern.compile("(?i)(path|file|filename|dir|directory|folder|cwd|root|[a-z0-9]*_(path|file|dir))");

    /** One hostile value, why it is hostile, and (for writes) the file it would create. */
    record Case(String kind, String value, String escapeFile) {
    }

    private HostilePaths() {
    }

    /** The links a tool could be tricked through: workspace entries pointing at /etc, /tmp and /run/secrets. */
    static void plant(Path workspace) throws IOException {
        link(workspace.resolve(LINK_ETC), "/etc");
        link(workspace.resolve(LINK_TMP), "/tmp");
        link(workspace.resolve(LINK_SECRETS), "/run/secrets");
    }

    private static void link(Path at, String target) throws IOException {
        Files.deleteIfExists(at);
        Files.createSymbolicLink(at, Path.of(target));
    }

    static List<Case> cases(String secretName) {
        return List.of(
                new Case("'..' out of the workspace", "../etc/passwd", null),
                new Case("an absolute path", "/etc/passwd", null),
                new Case("a symlink out of the workspace", LINK_ETC + "/passwd", null),
                new Case("a link to /run/secrets", LINK_SECRETS + "/" + secretName, null),
                new Case("'..' out of the workspace (write)", "../tmp/claw-contract-dotdot", "/tmp/claw-contract-dotdot"),
                new Case("an absolute path (write)", "/tmp/claw-contract-absolute", "/tmp/claw-contract-absolute"),
                new Case("a symlink out of the workspace (write)", LINK_TMP + "/claw-contract-link", "/tmp/claw-contract-link"));
    }

    /** The string properties of a tool's input that name paths. */
    static List<String> pathArguments(ToolDeclaration tool) {
        List<String> out = new ArrayList<>();
        JsonNode props = tool.input().path("properties");
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode type = props.get(name).path("type");
            if (PATH_ARG.matcher(name).matches() && (type.isMissingNode() || "string".equals(type.asText()))) {
                out.add(name);
            }
        }
        return out;
    }

    static List<String> escapeFiles() {
        return cases("x").stream().map(Case::escapeFile).filter(f -> f != null).toList();
    }
}

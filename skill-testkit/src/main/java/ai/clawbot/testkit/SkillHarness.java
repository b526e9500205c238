package ai.clawbot.testkit;

import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.manifests.ToolArguments;
import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Calls a skill's tool handlers in this JVM, as the sandbox's tool server would: with a workspace folder,
 * settings and secret files, and — when the skill's manifest is on the classpath ({@value SkillManifest#JAR_ENTRY},
 * as in a plugin module's own build) — with every call's arguments first checked against the tool's input
 * schema, as the gateway checks them.
 *
 * <pre>{@code
 * try (SkillHarness h = SkillHarness.of(new MySkill()).setting("vault", "notes").secret("API_KEY", "k")) {
 *     h.write("notes/a.md", "# A");
 *     h.call("read", "path", "a.md").ok().textIs("# A");
 *     h.call("read", "path", "../x").refused("OUTSIDE_VAULT");
 * }
 * }</pre>
 * Fast and deterministic, but no sandbox: confinement by the container (read-only root, no network, no env)
 * is what {@link ai.clawbot.testkit.contract.SkillContract} checks, in Docker.
 */
public final class SkillHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Skill skill;
    private final Map<String, ToolHandler> handlers;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Path> owned = new ArrayList<>();
    private final ToolArguments arguments = ToolArguments.create();
    private SkillManifest manifest;
    private Path workspace;
    private Path secrets;

    private SkillHarness(Skill skill) {
        this.skill = skill;
        this.handlers = Map.copyOf(skill.tools());
    }

    /** A harness for {@code skill}; uses its manifest from the classpath when there is one. */
    public static SkillHarness of(Skill skill) {
        SkillHarness h = new SkillHarness(skill);
        try (InputStream in = skill.getClass().getClassLoader().getResourceAsStream(SkillManifest.JAR_ENTRY)) {
            if (in != null) {
                h.manifest(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return h;
    }

    /** Checks calls against this manifest (YAML); the manifest must be valid and declare a handler-backed tool each. */
    public SkillHarness manifest(byte[] yaml) {
        ManifestCheck check = ManifestValidator.create().validate(yaml);
        if (check instanceof ManifestCheck.Invalid) {
            throw new AssertionError("the skill manifest is invalid: " + ((ManifestCheck.Invalid) check).describe());
        }
        SkillManifest m = ((ManifestCheck.Valid) check).manifest();
        for (ToolDeclaration t : m.tools()) {
            if (!handlers.containsKey(t.name())) {
                throw new AssertionError("the manifest declares tool '" + t.name() + "' but " + skill.getClass().getName()
                        + ".tools() has no handler for it (handlers: " + handlers.keySet() + ")");
            }
        }
        this.manifest = m;
        return this;
    }

    /** The folder tools see as their workspace; without one, a fresh temporary folder. */
    public SkillHarness workspace(Path dir) {
        this.workspace = dir;
        return this;
    }

    public SkillHarness setting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** A secret file, as the sandbox mounts one at {@code /run/secrets/NAME}; read by {@link ToolContext#secret}. */
    public SkillHarness secret(String name, String value) {
        try {
            if (secrets == null) {
                secrets = own(Files.createTempDirectory("skill-harness-secrets"));
            }
            Files.writeString(secrets.resolve(name), value, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Path workspace() {
        if (workspace == null) {
            try {
                workspace = own(Files.createTempDirectory("skill-harness-ws"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return workspace;
    }

    public Optional<SkillManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /** Writes a UTF-8 file into the workspace (folders on the way are created); returns its path. */
    public Path write(String relative, String content) {
        return writeFile(workspace(), relative, content);
    }

    /** Arguments as alternating names and values, e.g. {@code args("query", "x", "limit", 2)}. */
    public static ObjectNode args(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("args takes name/value pairs");
        }
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            o.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
        }
        return o;
    }

    /** Calls a tool with name/value argument pairs. */
    public HarnessCall call(String tool, Object... namesAndValues) {
        return call(tool, args(namesAndValues));
    }

    /** Calls a tool; arguments invalid against the manifest's input schema fail the test, as the gateway refuses them. */
    public HarnessCall call(String tool, JsonNode args) {
        return call(tool, args, true);
    }

    /**
     * Calls a tool with arguments the gateway would refuse (not checked against the input schema): for testing a
     * handler's own defence in depth.
     */
    public HarnessCall callUnchecked(String tool, JsonNode args) {
        return call(tool, args, false);
    }

    private HarnessCall call(String tool, JsonNode args, boolean checked) {
        ToolHandler handler = handlers.get(tool);
        if (handler == null) {
            throw new AssertionError("the skill has no tool '" + tool + "' (tools: " + handlers.keySet() + ")");
        }
        if (checked && manifest != null) {
            ToolDeclaration declared = manifest.tool(tool)
                    .orElseThrow(() -> new AssertionError("the manifest declares no tool '" + tool + "'"));
            var violations = arguments.check(declared, args);
            if (!violations.isEmpty()) {
                throw new AssertionError("the gateway would refuse these arguments for " + tool + ": " + violations);
            }
        }
        ToolContext context = new ToolContext(workspace(), settings, secrets);
        try {
            ToolResult r = handler.call(args, context);
            if (r == null) {
                throw new AssertionError(tool + " returned null; a handler returns a ToolResult or throws ToolException");
            }
            return HarnessCall.answered(tool, args, r);
        } catch (ToolException e) {
            return HarnessCall.refused(tool, args, e);
        }
    }

    /** Calls a tool that must refuse; returns the refusal (fails the test when the tool answers). */
    public ToolException refuse(String tool, JsonNode args) {
        return call(tool, args).refusal();
    }

    /** Writes a UTF-8 file anywhere (folders on the way are created), e.g. a file outside the workspace; returns its path. */
    public static Path writeFile(Path root, String relative, String content) {
        Path p = root.resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Calls every example of every tool the manifest declares; returns the calls in order. */
    public List<HarnessCall> callExamples() {
        if (manifest == null) {
            throw new AssertionError("no manifest: put it on the classpath at " + SkillManifest.JAR_ENTRY + " or pass manifest(yaml)");
        }
        List<HarnessCall> out = new ArrayList<>();
        for (ToolDeclaration t : manifest.tools()) {
            for (JsonNode example : t.examples()) {
                out.add(call(t.name(), example));
            }
        }
        return out;
    }

    private Path own(Path p) {
        owned.add(p);
        return p;
    }

    /** Deletes the temporary folders this harness made (a workspace passed in is left alone). */
    @Override
    public void close() {
        for (Path root : owned) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temp folder left behind is not a test failure
            }
        }
    }
}

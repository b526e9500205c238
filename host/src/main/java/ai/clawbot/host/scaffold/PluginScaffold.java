package ai.clawbot.host.scaffold;

import ai.clawbot.host.scaffold.ScaffoldException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a plugin project from the templates shipped in the host jar ({@code scaffold/template/}, listed in
 * its {@code index.txt}). The project is written to a staging folder beside the target and moved into place
 * at the end, so a refusal or a failure leaves nothing half-written.
 */
public final class PluginScaffold {

    private static final String ROOT = "/ai/clawbot/host/scaffold/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");

    private final Properties sdk;
    private final Path gatewayHome;

    private PluginScaffold(Properties sdk, Path gatewayHome) {
        this.sdk = sdk;
        this.gatewayHome = gatewayHome;
    }

    /** @param gatewayHome the gateway checkout the generated README points at (holds {@code claw} and {@code mvnw}) */
    public static PluginScaffold create(Path gatewayHome) {
        Properties sdk = new Properties();
        try (InputStream in = resource("sdk.properties")) {
            sdk.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("scaffold sdk.properties unreadable", e);
        }
        return new PluginScaffold(sdk, gatewayHome);
    }

    /** The file written, relative to the project folder, in template order. */
    public record Generated(Path dir, List<Path> files) {
    }

    public Generated generate(PluginProject project) throws ScaffoldException {
        Path dir = project.dir().toAbsolutePath().normalize();
        refuseNonEmpty(dir);
        Map<String, String> values = values(project);
        Path staging = null;
        try {
            Files.createDirectories(dir.getParent());
            staging = Files.createTempDirectory(dir.getParent(), "." + project.id() + "-new-");
            List<Path> written = new ArrayList<>();
            for (String[] entry : index()) {
                Path rel = Path.of(render(entry[1], values));
                Path target = staging.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.writeString(target, render(template(entry[0]), values), StandardCharsets.UTF_8);
                written.add(rel);
            }
            if (Files.isDirectory(dir)) {
                Files.delete(dir); // empty (checked above); replaced by the staged project
            }
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return new Generated(dir, List.copyOf(written));
        } catch (IOException e) {
            throw new ScaffoldException(Reason.IO, "cannot write " + dir + ": " + e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void refuseNonEmpty(Path dir) throws ScaffoldException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ScaffoldException(Reason.TARGET_NOT_EMPTY, dir + " exists and is not a folder; pick another with --dir");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new ScaffoldException(Reason.TARGET_NOT_EMPTY,
                        dir + " exists and is not empty; nothing was written (pick another with --dir)");
            }
        } catch (IOException e) {
            throw new ScaffoldException(Reason.IO, "cannot read " + dir + ": " + e);
        }
    }

    Map<String, String> values(PluginProject project) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("id", project.id());
        v.put("package", project.javaPackage());
        v.put("packagePath", project.packagePath());
        v.put("className", project.className());
        v.put("pluginApiVersion", sdk.getProperty("pluginApiVersion"));
        v.put("junitVersion", sdk.getProperty("junitVersion"));
        v.put("gatewayHome", gatewayHome.toString());
        return v;
    }

    /** Replaces every {@code {{name}}}; an unknown name is a bug in a template, so it fails loudly. */
    static String render(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("scaffold template names an unknown placeholder {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The template index: {@code [template file, target path]} per non-comment line. */
    static List<String[]> index() throws IOException {
        List<String[]> entries = new ArrayList<>();
        for (String line : template("index.txt").split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                entries.add(l.split("\\s+", 2));
            }
        }
        return entries;
    }

    private static String template(String name) throws IOException {
        try (InputStream in = resource("template/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PluginScaffold.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IOException("scaffold resource " + name + " missing from the host jar");
        }
        return in;
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden staging folder is harmless
        }
    }
}

package ai.clawbot.host.scaffold;

import ai.clawbot.host.scaffold.ScaffoldException.Reason;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * What {@code claw plugins new} generates: the plugin id (the manifest's {@code id}), the Java package of its
 * classes, the skill class name derived from the id, and the folder to write.
 */
public record PluginProject(String id, String javaPackage, String className, Path dir) {

    /**
     * Checks the id against the manifest schema's id pattern and the package against Java's rules.
     *
     * @param javaPackage null for {@code com.example.<id without dashes>}
     * @param dir         null for {@code ./<id>}
     */
    public static PluginProject of(String id, String javaPackage, Path dir) throws ScaffoldException {
        Pattern idPattern = ManifestIdPattern.get();
        if (id == null || !idPattern.matcher(id).matches()) {
            throw new ScaffoldException(Reason.BAD_ID, "bad plugin id '" + id + "': a manifest id must match "
                    + idPattern.pattern() + " (lower-case letter first, then 1-39 lower-case letters, digits or '-')");
        }
        String pkg = javaPackage != null ? javaPackage : "com.example." + id.replace("-", "");
        if (!SourceVersion.isName(pkg) || !pkg.equals(pkg.toLowerCase(Locale.ROOT))) {
            throw new ScaffoldException(Reason.BAD_PACKAGE, "bad Java package '" + pkg + "': it must be a lower-case, "
                    + "dot-separated Java name with no keyword" + (javaPackage == null ? " (pass --package)" : ""));
        }
        return new PluginProject(id, pkg, className(id), dir != null ? dir : Path.of(id));
    }

    /** {@code hello-notes} becomes {@code HelloNotesSkill}. */
    static String className(String id) {
        StringBuilder name = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name + "Skill";
    }

    public String packagePath() {
        return javaPackage.replace('.', '/');
    }

    /** The jar {@code mvn package} builds (artifactId = id, version 0.1.0 as in the generated pom). */
    public String jarName() {
        return id + "-0.1.0.jar";
    }
}

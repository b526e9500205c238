package ai.clawbot.signing;

import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads {@link JarFacts} from jar bytes held in memory, refusing structures a loader could read
 * differently from a verifier: duplicate entry names, absolute or {@code ..} names, oversized entries.
 */
public final class JarInspector {

    /** Upper bound on a plugin jar; bigger inputs are refused before they are read whole. */
    public static final long MAX_JAR_BYTES = 64L * 1024 * 1024;
    private static final int MAX_ENTRY_BYTES = 1024 * 1024;
    /** The name a jar whose structure passed {@link #inspect(byte[])} is remembered under ({@link CheckMemo}). */
    static final String STRUCTURE_CHECK = "jar-structure";

    private JarInspector() {
    }

    public static JarFacts inspect(byte[] jar) throws IOException {
        byte[] mf = null;
        byte[] skill = null;
        Set<String> names = new HashSet<>();
        List<String> order = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(jar))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String name = e.getName();
                if (!names.add(name)) {
                    throw new IOException("duplicate jar entry '" + name + "'");
                }
                order.add(name);
                if (name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
                        || name.contains("/../") || name.endsWith("/..")) {
                    throw new IOException("unsafe jar entry name '" + name + "'");
                }
                if (name.equals("META-INF/MANIFEST.MF")) {
                    mf = readBounded(zin, name);
                } else if (name.equals(SkillManifest.JAR_ENTRY)) {
                    skill = readBounded(zin, name);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed jar: " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw new IOException("not a jar (no entries)");
        }
        if (mf == null) {
            throw new IOException("jar has no META-INF/MANIFEST.MF");
        }
        if (skill == null) {
            throw new IOException("jar has no " + SkillManifest.JAR_ENTRY);
        }
        sameAsCentralDirectory(jar, order, mf, skill);
        return facts(jar, mf, skill);
    }

    /**
     * As {@link #inspect(byte[])}; a jar whose exact bytes passed it before ({@code memo}) is not checked again: its
     * two manifests are read from the local headers, which that check found to agree with the central directory.
     */
    static JarFacts inspect(byte[] jar, CheckMemo memo) throws IOException {
        if (!memo.passed(STRUCTURE_CHECK, jar)) {
            JarFacts facts = inspect(jar);
            memo.record(STRUCTURE_CHECK, jar);
            return facts;
        }
        byte[] mf = null;
        byte[] skill = null;
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(jar))) {
            ZipEntry e;
            while ((mf == null || skill == null) && (e = zin.getNextEntry()) != null) {
                if (e.getName().equals("META-INF/MANIFEST.MF")) {
                    mf = readBounded(zin, e.getName());
                } else if (e.getName().equals(SkillManifest.JAR_ENTRY)) {
                    skill = readBounded(zin, e.getName());
                }
            }
        }
        if (mf == null || skill == null) {
            throw new IOException("jar lacks a manifest it had when it was checked"); // cannot happen for the same bytes
        }
        return facts(jar, mf, skill);
    }

    private static JarFacts facts(byte[] jar, byte[] mf, byte[] skill) throws IOException {
        Manifest manifest = new Manifest(new ByteArrayInputStream(mf));
        String id = manifest.getMainAttributes().getValue("Plugin-Id");
        String version = manifest.getMainAttributes().getValue("Plugin-Version");
        if (id == null || version == null) {
            throw new IOException("jar manifest lacks Plugin-Id or Plugin-Version");
        }
        String image = null;
        try {
            image = ManifestReader.readTree(new ByteArrayInputStream(skill)).path("sandbox").path("image").asText(null);
        } catch (IOException ignored) {
            // an unreadable skill manifest is reported by the manifest validator, with its path
        }
        return new JarFacts(id, version, Sha256.hex(jar), Sha256.hex(skill), image, skill);
    }

    /**
     * Loaders ({@code JarFile}, PF4J) read the central directory; this inspector reads local headers. A jar
     * whose two views differ could show the verifier one manifest and the loader another: refuse it.
     */
    private static void sameAsCentralDirectory(byte[] jar, List<String> localOrder, byte[] mf, byte[] skill) throws IOException {
        Path tmp = Files.createTempFile("claw-inspect", ".jar");
        try {
            Files.write(tmp, jar);
            try (ZipFile zip = new ZipFile(tmp.toFile())) {
                List<String> central = new ArrayList<>();
                zip.stream().forEach(e -> central.add(e.getName()));
                if (!central.equals(localOrder)) {
                    throw new IOException("jar's central directory lists different entries than its local headers");
                }
                if (!Arrays.equals(read(zip, "META-INF/MANIFEST.MF"), mf)
                        || !Arrays.equals(read(zip, SkillManifest.JAR_ENTRY), skill)) {
                    throw new IOException("jar's central directory and local headers disagree on the manifests");
                }
            } catch (java.util.zip.ZipException e) {
                throw new IOException("malformed jar: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return readBounded(in, name);
        }
    }

    private static byte[] readBounded(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_ENTRY_BYTES) {
                throw new IOException("jar entry '" + name + "' is over " + MAX_ENTRY_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}

package ai.clawbot.host.testkit;

import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.Sha256;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Jar bytes from named entries, and raw signatures over any statement (a malicious but trusted signer). */
public final class JarBytes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JarBytes() {
    }

    /** Entries in order; {@code META-INF/MANIFEST.MF} should come first, as in a real jar. */
    public static byte[] jar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static String manifest(String id, String version) {
        return "Manifest-Version: 1.0\r\nPlugin-Id: " + id + "\r\nPlugin-Version: " + version
                + "\r\nPlugin-Class: ai.clawbot.plugin.api.SkillPlugin\r\n\r\n";
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in the raw zip bytes. */
    public static byte[] patch(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("patch must keep the length");
        }
        byte[] out = zip.clone();
        int hits = 0;
        outer:
        for (int i = 0; i <= out.length - f.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (out[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, out, i, t.length);
            hits++;
        }
        if (hits == 0) {
            throw new IllegalArgumentException("'" + from + "' not found");
        }
        return out;
    }

    /** Signs a statement of our choosing, bypassing every check the real signer makes. */
    public static byte[] rawSignature(KeyPair key, String pluginId, String version, byte[] jar, byte[] skillManifest,
                                      String claimedKeyId) throws Exception {
        ObjectNode st = JSON.createObjectNode()
                .put("pluginId", pluginId).put("version", version)
                .put("jarSha256", Sha256.hex(jar)).put("manifestSha256", Sha256.hex(skillManifest))
                .put("image", "clawbot/skill-jre:17").put("signedAt", "2026-11-23T00:00:00Z")
                .put("keyId", claimedKeyId == null ? Keys.keyId(key.getPublic()) : claimedKeyId);
        byte[] statement = JSON.writeValueAsBytes(st);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(new PluginSignature(statement, new byte[0]).signedMessage());
        return new PluginSignature(statement, s.sign()).toBytes();
    }

    public static LinkedHashMap<String, byte[]> copy(Map<String, byte[]> entries) {
        LinkedHashMap<String, byte[]> c = new LinkedHashMap<>();
        entries.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }
}

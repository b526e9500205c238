package ai.clawbot.bench;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real-time factor (audio seconds / processing seconds) of the local whisper skill through the gateway
 * ({@code tools.invoke transcribe} over the WebSocket: the gate, the warm skill-stt sandbox, sox, PocketSphinx) against
 * {@code pocketsphinx_continuous} run directly on the host on the same files, in the same run. The files are the
 * librivox recordings of Debian's pocketsphinx-testdata. {@code ./bench/run-whisper.sh [rounds=3]}; needs Docker,
 * the skill-stt image, and Debian's pocketsphinx, pocketsphinx-en-us and pocketsphinx-testdata on the host.
 */
public final class WhisperBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");
    private static final Path MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path jar = args.length > 1 ? Path.of(args[1]) : pluginJar();
        List<Path> files;
        try (Stream<Path> s = Files.list(LIBRIVOX)) {
            files = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        Path root = Files.createTempDirectory("claw-whisper-bench");
        StateDir state = new StateDir(root);
        state.ensureRoot();
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Files.copy(jar, plugins.resolve("whisper.jar"));
        KeyPair key = Keys.generate();
        TrustStore.open(root.resolve("trust")).add(key.getPublic(), "bench");
        Files.write(plugins.resolve("whisper.jar.sig"), PluginSigner.sign(Files.readAllBytes(plugins.resolve("whisper.jar")),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        Path ws = Files.createDirectories(state.workspace());
        double audio = 0;
        for (Path f : files) {
            Files.copy(f, ws.resolve(f.getFileName()));
            audio += seconds(f);
        }

        long gatewayNanos = 0;
        long directNanos = 0;
        long firstCall;
        try (Gateway gw = Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, state));
             TurnClient c = TurnClient.connect(gw.port(), TOKEN)) {
            long t = System.nanoTime();
            invoke(c, files.get(0).getFileName().toString());
            firstCall = System.nanoTime() - t;
            for (int r = 0; r < rounds; r++) {
                // Interleaved, so both see the same machine load.
                for (Path f : files) {
                    t = System.nanoTime();
                    invoke(c, f.getFileName().toString());
                    gatewayNanos += System.nanoTime() - t;
                    t = System.nanoTime();
                    direct(f);
                    directNanos += System.nanoTime() - t;
                }
            }
        }
        double total = audio * rounds;
        double rtfGateway = total / (gatewayNanos / 1e9);
        double rtfDirect = total / (directNanos / 1e9);
        System.out.printf(Locale.ROOT, "%n%d files, %.1f s of audio, %d rounds (first call, container start included: %.2f s)%n",
                files.size(), audio, rounds, firstCall / 1e9);
        System.out.printf(Locale.ROOT, "through the gateway      RTF %.2f  (%.2f s processing)%n", rtfGateway, gatewayNanos / 1e9);
        System.out.printf(Locale.ROOT, "pocketsphinx_continuous  RTF %.2f  (%.2f s processing, baseline)%n", rtfDirect, directNanos / 1e9);
        System.out.printf(Locale.ROOT, "  gateway / direct = %.2f (real-time factor ratio; 1.00 = no overhead)%n", rtfGateway / rtfDirect);
    }

    private static void invoke(TurnClient c, String file) throws Exception {
        ObjectNode p = TurnClient.JSON.createObjectNode().put("skill", "whisper").put("tool", "transcribe")
                .put("sessionKey", "agent:default:bench");
        p.putObject("args").put("path", file);
        JsonNode res = TurnClient.ok(c.request("tools.invoke", p));
        if (res.at("/payload/isError").asBoolean()) {
            throw new IllegalStateException("transcribe failed: " + res);
        }
    }

    private static void direct(Path f) throws Exception {
        Process p = new ProcessBuilder("pocketsphinx_continuous", "-infile", f.toString(), "-hmm", MODEL.resolve("en-us").toString(),
                "-lm", MODEL.resolve("en-us.lm.bin").toString(), "-dict", MODEL.resolve("cmudict-en-us.dict").toString(),
                "-time", "yes", "-logfn", "/dev/null").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pocketsphinx_continuous failed on " + f);
        }
    }

    /** 16-bit PCM WAV length from its header (the testdata files are 16 kHz mono). */
    private static double seconds(Path wav) throws Exception {
        try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
            return in.getFrameLength() / in.getFormat().getFrameRate();
        }
    }

    private static Path pluginJar() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("plugins/whisper/target"))) {
            return s.filter(p -> p.getFileName().toString().matches("whisper-[0-9][^/]*(?<!sources|javadoc)\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build plugins/whisper first"));
        }
    }
}

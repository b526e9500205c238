package ai.clawbot.host.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.PluginInstaller;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.RegistryIndex;
import ai.clawbot.signing.RegistryIndexes;
import ai.clawbot.signing.TrustStore;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry built with {@code publish} and served by {@code RegistryServer}, then attacked: each attack is refused
 * with a clear reason and nothing reaches the plugins folder or the staging folder. Hostile servers (oversized,
 * never-ending, redirecting) are real HTTP servers on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAttackSuiteTest {

    @TempDir
    static Path shared;

    private final KeyPair publisher = Keys.generate();
    private final KeyPair registryKey = Keys.generate();
    private final KeyPair stranger = Keys.generate();
    private Path demo09;
    private Path demo10;
    private Path demo20;
    private Path rogue;
    private Path registryDir;
    private RegistryServer server;
    private final List<AutoCloseable> hostile = new ArrayList<>();

    private Path stateRoot;
    private StateDir state;
    private PluginInstaller installer;

    @BeforeAll
    void buildAndServe() throws Exception {
        demo09 = RegistryFixture.signedJar(shared, "demo", "0.9.0", RegistryFixture.NARROW, publisher);
        demo10 = RegistryFixture.signedJar(shared, "demo", "1.0.0", RegistryFixture.NARROW, publisher);
        demo20 = RegistryFixture.signedJar(shared, "demo", "2.0.0", RegistryFixture.WIDE, publisher);
        rogue = RegistryFixture.signedJar(shared, "rogue", "1.0.0", RegistryFixture.NARROW, stranger);
        registryDir = shared.resolve("registry");
        RegistryFolder folder = RegistryFolder.at(registryDir);
        folder.publish(demo09, registryKey, Duration.ofDays(30), Instant.now());
        folder.publish(demo10, registryKey, Duration.ofDays(30), Instant.now());
        server = RegistryServer.start(registryDir, "127.0.0.1", 0);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : hostile) {
            c.close();
        }
    }

    @BeforeEach
    void freshState() throws Exception {
        stateRoot = Files.createTempDirectory(shared, "state");
        state = new StateDir(stateRoot);
        TrustStore.open(state.trust()).add(publisher.getPublic(), "publisher");
        installer = new PluginInstaller(state);
    }

    private RegistryClient client(String url, Duration deadline, Clock clock) throws Exception {
        return client("test", url, deadline, clock);
    }

    private RegistryClient client(String name, String url, Duration deadline, Clock clock) throws Exception {
        Registries.Registry r = Registries.open(state.trust()).add(name, url, List.of(registryKey.getPublic()));
        return RegistryClient.create(state, r, installer, deadline, clock);
    }

    private RegistryClient client(String url) throws Exception {
        return client(url, Duration.ofSeconds(10), Clock.systemUTC());
    }

    private String served() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** Serves a copy of the registry folder after {@code change} tampered with it. */
    private String servedCopy(String name, Tamper change) throws Exception {
        Path copy = shared.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(registryDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        change.apply(copy);
        RegistryServer s = RegistryServer.start(copy, "127.0.0.1", 0);
        hostile.add(s);
        return "http://127.0.0.1:" + s.port() + "/";
    }

    interface Tamper {
        void apply(Path dir) throws Exception;
    }

    private void assertNothingStaged() throws Exception {
        try (Stream<Path> s = Files.list(state.plugins())) {
            assertThat(s.toList()).as("plugins folder").isEmpty();
        }
        Path staging = state.sandboxes().resolve("verified-plugins");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                assertThat(s.toList()).as("staging folder").isEmpty();
            }
        }
    }

    private void assertRefused(RegistryClient c, String id, Optional<String> version, String reason, String says) throws Exception {
        assertThatThrownBy(() -> c.prepare(id, version)).isInstanceOfSatisfying(BoundedFetch.Refused.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(says);
        });
        assertNothingStaged();
    }

    /** Writes an index of {@code entries} with {@code serial}, signed by {@code key}, into {@code dir}. */
    private static void writeIndex(Path dir, List<RegistryIndex.Entry> entries, long serial, KeyPair key) throws Exception {
        byte[] bytes = RegistryIndexes.toBytes(RegistryIndexes.index(entries, serial, Instant.now(), Duration.ofDays(30)));
        Files.write(dir.resolve("index.json"), bytes);
        Files.write(dir.resolve("index.json.sig"), RegistryIndexes.sign(bytes, key.getPrivate(), key.getPublic()));
    }

    private RegistryIndex currentIndex() throws Exception {
        return RegistryFolder.at(registryDir).index().orElseThrow();
    }

    @Test
    void theServedRegistryInstallsWithPreviewAndAnUpdateThatWidensShowsTheWidening() throws Exception {
        RegistryClient c = client(served());
        assertThat(c.search("notes", 10)).extracting(RegistryIndex.Entry::id, RegistryIndex.Entry::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("demo", "1.0.0"));
        RegistryIndex.Entry info = c.info("demo", Optional.empty());
        assertThat(info.tools()).extracting(RegistryIndex.Tool::name, RegistryIndex.Tool::effect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", "read"));
        assertThat(info.keyId()).isEqualTo(Keys.keyId(publisher.getPublic()));

        RegistryClient.Offer first = c.prepare("demo", Optional.empty());
        assertThat(first.diff().fresh()).isTrue();
        assertThat(first.describe()).contains("demo 1.0.0").contains("signed by publisher").contains("network: none");
        assertThat(installer.install(first.preview())).isInstanceOf(InstallOutcome.Installed.class);
        assertThat(c.update("demo")).as("nothing newer yet").isEmpty();

        // A second registry folder state: 2.0.0 published there, with wider permissions.
        String next = servedCopy("with-2.0.0", dir -> RegistryFolder.at(dir).publish(demo20, registryKey, Duration.ofDays(30), Instant.now()));
        RegistryClient c2 = client(next);
        RegistryClient.Offer update = c2.update("demo").orElseThrow();
        assertThat(update.preview().version()).isEqualTo("2.0.0");
        assertThat(update.diff().widens()).isTrue();
        assertThat(update.diff().changes()).extracting(PermissionDiff.Change::line).contains(
                "+ tool send: (none) -> external", "+ workspace: none -> ro", "+ secret: (none) -> DEMO_TOKEN",
                "+ network: (none) -> api.example.com:443");
        assertThat(update.describe()).contains("WIDENS permissions");
        // The update is only an offer until the operator confirms it: nothing changed yet.
        assertThat(installer.installedAll()).extracting(PluginInstaller.Installed::version).containsExactly("1.0.0");
        assertThat(installer.install(update.preview())).isInstanceOf(InstallOutcome.Installed.class);
        assertThat(TrustStore.open(state.trust()).minimumVersion("demo").orElseThrow().toString()).isEqualTo("2.0.0");
    }

    @Test
    void jarBytesThatDoNotHashToTheIndexEntryAreRefused() throws Exception {
        String url = servedCopy("swapped-jar", dir -> Files.copy(demo09, dir.resolve("demo-1.0.0.jar"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        assertRefused(client(url), "demo", Optional.empty(), "JAR_HASH_MISMATCH", "the signed index says");
    }

    @Test
    void anIndexSignedByAKeyNotConfiguredForTheRegistryIsRefused() throws Exception {
        String url = servedCopy("stranger-index", dir -> writeIndex(dir, currentIndex().plugins(), 99, stranger));
        assertRefused(client(url), "demo", Optional.empty(), "UNTRUSTED_KEY", "not trusted for this registry");
        // And the publisher's plugin key is no index key either: keys have one job each.
        String byPublisher = servedCopy("publisher-index", dir -> writeIndex(dir, currentIndex().plugins(), 99, publisher));
        assertRefused(client(byPublisher), "demo", Optional.empty(), "UNTRUSTED_KEY", "not trusted for this registry");
    }

    @Test
    void theRegistryKeyCannotVouchForAPluginKeyTheOperatorDoesNotTrust() throws Exception {
        // The index (validly signed by the registry key) lists a plugin signed by a stranger...
        String url = servedCopy("vouching", dir -> RegistryFolder.at(dir).publish(rogue, registryKey, Duration.ofDays(30), Instant.now()));
        assertRefused(client(url), "rogue", Optional.empty(), "UNTRUSTED_KEY", "not in the trust store");
        // ...or by the registry key itself.
        Path selfSigned = RegistryFixture.signedJar(shared, "rogue", "1.1.0", RegistryFixture.NARROW, registryKey);
        String url2 = servedCopy("self-vouching", dir -> RegistryFolder.at(dir).publish(selfSigned, registryKey, Duration.ofDays(30), Instant.now()));
        assertRefused(client("other", url2, Duration.ofSeconds(10), Clock.systemUTC()), "rogue", Optional.of("1.1.0"), "UNTRUSTED_KEY", "not in the trust store");
    }

    @Test
    void aRolledBackSerialAndAReplayedSerialWithNewContentAreRefused() throws Exception {
        RegistryIndex now = currentIndex();
        String newer = servedCopy("serial-10", dir -> writeIndex(dir, now.plugins(), 10, registryKey));
        client(newer).index();
        // An older serial, validly signed (a mirror serving yesterday's index):
        String older = servedCopy("serial-9", dir -> writeIndex(dir, now.plugins(), 9, registryKey));
        assertRefused(client(older), "demo", Optional.empty(), "ROLLBACK", "older than 10");
        // The same serial with other content (one version dropped), validly signed:
        String replay = servedCopy("serial-10-other", dir -> writeIndex(dir,
                now.plugins().stream().filter(e -> !e.version().equals("0.9.0")).toList(), 10, registryKey));
        assertRefused(client(replay), "demo", Optional.empty(), "ROLLBACK", "already seen with different content");
    }

    @Test
    void anExpiredIndexIsRefused() throws Exception {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertRefused(client(served(), Duration.ofSeconds(10), later), "demo", Optional.empty(), "EXPIRED", "expired at");
    }

    @Test
    void aJarWhoseManifestDiffersFromItsIndexEntryIsRefused() throws Exception {
        // The signed index tells the reviewer "network: none, read-only tools" for a jar that says otherwise.
        Path wideAs1 = RegistryFixture.signedJar(shared, "demo", "1.0.0", RegistryFixture.WIDE, publisher);
        String url = servedCopy("lying-entry", dir -> {
            RegistryIndex.Entry honest = RegistryIndexes.entry(Files.readAllBytes(wideAs1),
                    Files.readAllBytes(wideAs1.resolveSibling("demo.jar.sig")), "demo-1.0.0.jar");
            RegistryIndex.Entry narrow = currentIndex().plugins().stream().filter(e -> e.version().equals("1.0.0")).findFirst().orElseThrow();
            RegistryIndex.Entry lie = new RegistryIndex.Entry(honest.id(), honest.version(), honest.jarSha256(), honest.keyId(),
                    honest.signature(), honest.path(), honest.description(), honest.image(), honest.manifestSha256(),
                    narrow.tools(), narrow.permissions(), narrow.network());
            Files.copy(wideAs1, dir.resolve("demo-1.0.0.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            writeIndex(dir, List.of(lie), 50, registryKey);
        });
        assertRefused(client(url), "demo", Optional.of("1.0.0"), "MANIFEST_MISMATCH", "differs from its index entry");
    }

    @Test
    void aDowngradeIsRefused() throws Exception {
        RegistryClient c = client(served());
        installer.install(c.prepare("demo", Optional.of("1.0.0")).preview());
        assertThatThrownBy(() -> c.prepare("demo", Optional.of("0.9.0"))).isInstanceOfSatisfying(BoundedFetch.Refused.class,
                e -> assertThat(e.reason()).isEqualTo("DOWNGRADE"));
        assertThat(installer.installedAll()).extracting(PluginInstaller.Installed::version).containsExactly("1.0.0");
    }

    private String hostileServer(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.createContext("/", handler);
        s.start();
        hostile.add(() -> s.stop(0));
        return "http://127.0.0.1:" + s.getAddress().getPort() + "/";
    }

    @Test
    void anOversizedIndexIsCutOffAtTheCapWithOrWithoutContentLength() throws Exception {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) ' ');
        String chunked = hostileServer(x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    o.write(chunk);
                }
            } catch (java.io.IOException clientGaveUp) {
                // expected: the client stops reading at the cap
            }
        });
        assertRefused(client(chunked), "demo", Optional.empty(), "TOO_LARGE", "is over " + RegistryIndexes.MAX_INDEX_BYTES);
        String declared = hostileServer(x -> {
            x.sendResponseHeaders(200, 64L << 20);
            try (OutputStream o = x.getResponseBody()) {
                o.write(chunk, 0, 1024);
                o.flush();
            } catch (java.io.IOException clientGaveUp) {
                // expected: the client refuses on the declared length
            }
        });
        assertRefused(client(declared), "demo", Optional.empty(), "TOO_LARGE", "is over");
    }

    @Test
    void aNeverEndingResponseEndsAtTheDeadline() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        hostile.add(released::countDown);
        String trickle = hostileServer(x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                // One byte, then nothing more until the test ends: a server that never finishes.
                o.write('{');
                o.flush();
                released.await();
            } catch (InterruptedException | java.io.IOException e) {
                // closed by the client
            }
        });
        long t0 = System.nanoTime();
        assertRefused(client(trickle, Duration.ofSeconds(2), Clock.systemUTC()), "demo", Optional.empty(), "TIMEOUT",
                "did not finish within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRedirectToAnotherHostIsRefusedAndOneToTheSameHostFollowed() throws Exception {
        String target = "http://localhost:" + server.port() + "/";
        String redirecting = hostileServer(x -> {
            x.getResponseHeaders().add("Location", target + x.getRequestURI().getPath().substring(1));
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        assertRefused(client(redirecting), "demo", Optional.empty(), "CROSS_HOST_REDIRECT", "another host");

        String sameHost = hostileServer(x -> {
            String p = x.getRequestURI().getPath();
            if (p.startsWith("/moved/")) {
                byte[] body = Files.readAllBytes(registryDir.resolve(p.substring("/moved/".length())));
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            } else {
                x.getResponseHeaders().add("Location", "/moved" + p);
                x.sendResponseHeaders(301, -1);
            }
            x.close();
        });
        assertThat(client(sameHost).prepare("demo", Optional.empty()).preview().version()).isEqualTo("1.0.0");
    }

    @Test
    void publishRaisesTheSerialRefusesChangedBytesForAPublishedVersionAndAForeignKey() throws Exception {
        Path dir = shared.resolve("publish-rules");
        RegistryFolder f = RegistryFolder.at(dir);
        long s1 = f.publish(demo10, registryKey, Duration.ofDays(7), Instant.now()).index().serial();
        var p2 = f.publish(demo20, registryKey, Duration.ofDays(7), Instant.now());
        assertThat(p2.index().serial()).isEqualTo(s1 + 1);
        assertThat(Instant.parse(p2.index().expiresAt())).isAfter(Instant.now().plus(Duration.ofDays(6)));
        assertThat(p2.entry().tools()).extracting(RegistryIndex.Tool::name).containsExactly("hello", "send");
        assertThat(p2.entry().permissions().secrets()).containsExactly("DEMO_TOKEN");
        assertThat(p2.entry().manifestSha256()).hasSize(64);
        Path other10 = RegistryFixture.signedJar(shared, "demo", "1.0.0", RegistryFixture.WIDE, publisher);
        assertThatThrownBy(() -> f.publish(other10, registryKey, Duration.ofDays(7), Instant.now()))
                .hasMessageContaining("already published with other bytes");
        assertThatThrownBy(() -> f.publish(demo09, stranger, Duration.ofDays(7), Instant.now()))
                .hasMessageContaining("not signed by this key");
        Path unsigned = Files.copy(demo09, shared.resolve("unsigned.jar"));
        assertThatThrownBy(() -> f.publish(unsigned, registryKey, Duration.ofDays(7), Instant.now()))
                .hasMessageContaining("sign the jar first");
        assertThat(f.index().orElseThrow().serial()).isEqualTo(s1 + 1);
    }

    @SuppressWarnings("unused")
    private static byte[] sign(byte[] jar, KeyPair k) throws Exception {
        return PluginSigner.sign(jar, k.getPrivate(), k.getPublic(), Instant.now()).toBytes();
    }

    @SuppressWarnings("unused")
    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

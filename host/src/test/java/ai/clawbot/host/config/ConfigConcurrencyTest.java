package ai.clawbot.host.config;

import static ai.clawbot.host.config.ConfigFixtures.VALID;
import static ai.clawbot.host.config.ConfigFixtures.bytes;
import static ai.clawbot.host.config.ConfigFixtures.json;
import static ai.clawbot.host.config.ConfigFixtures.sha256;
import static ai.clawbot.host.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients patching from the same read: exactly one wins, the rest are told the config moved on. */
class ConfigConcurrencyTest {

    private static final int THREADS = 20;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void concurrentPatchesWithTheSameBaseHashHaveExactlyOneWinner() throws Exception {
        Path file = dir.resolve("openclaw.json");
        write(file, VALID);
        ConfigStore store = ConfigStore.open(file);
        store.load();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String base = store.current().hash();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int port = 20000 + round * 100 + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            return store.patch(base, json("{\"gateway\": {\"port\": " + port + "}}"));
                        } catch (ConfigConflictException e) {
                            return e;
                        }
                    }));
                }
                go.countDown();
                List<Snapshot> wins = new ArrayList<>();
                List<ConfigConflictException> conflicts = new ArrayList<>();
                for (Future<Object> f : results) {
                    Object r = f.get();
                    if (r instanceof Snapshot s) {
                        wins.add(s);
                    } else {
                        conflicts.add((ConfigConflictException) r);
                    }
                }
                assertThat(wins).as("round " + round).hasSize(1);
                assertThat(conflicts).hasSize(THREADS - 1);
                Snapshot winner = wins.get(0);
                assertThat(sha256(bytes(file))).isEqualTo(winner.hash());
                assertThat(conflicts).allSatisfy(c -> assertThat(c.currentHash()).isEqualTo(winner.hash()));
                assertThat(ConfigStore.open(file).load().config().at("/gateway/port").asInt())
                        .isEqualTo(winner.config().at("/gateway/port").asInt());
                assertThat(store.current()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(dir.toFile().list()).as("no temp file is left behind").containsExactlyInAnyOrder("openclaw.json", "openclaw.json.last-good");
    }

    @Test
    void readersDuringWritesAlwaysSeeAWholeConfig() throws Exception {
        Path file = dir.resolve("openclaw.json");
        ConfigStore store = ConfigStore.open(file);
        store.load();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 1; i <= 50; i++) {
                    store.patch(store.current().hash(), json("{\"gateway\": {\"port\": " + (1000 + i) + ", \"tickIntervalMs\": " + (1000 + i) + "}}"));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        while (writer.isAlive()) {
            Snapshot s = store.current();
            // port and tickIntervalMs are written together: a reader never sees one without the other.
            assertThat(s.config().at("/gateway/port").asInt(0)).isEqualTo(s.config().at("/gateway/tickIntervalMs").asInt(0));
            if (s.config().has("gateway")) {
                assertThat(s.hash()).isNotEqualTo(ConfigStore.EMPTY_HASH);
            }
        }
        writer.join();
        assertThat(store.current().config().at("/gateway/port").asInt()).isEqualTo(1050);
    }
}

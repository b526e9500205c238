package ai.clawbot.host.config;

import static ai.clawbot.host.config.ConfigFixtures.VALID;
import static ai.clawbot.host.config.ConfigFixtures.bytes;
import static ai.clawbot.host.config.ConfigFixtures.json;
import static ai.clawbot.host.config.ConfigFixtures.mode;
import static ai.clawbot.host.config.ConfigFixtures.object;
import static ai.clawbot.host.config.ConfigFixtures.sha256;
import static ai.clawbot.host.config.ConfigFixtures.text;
import static ai.clawbot.host.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading with a last-known-good fallback, and writes guarded by the base hash. */
class ConfigStoreTest {

    @TempDir
    Path dir;
    Path file;
    Path lastGood;

    @BeforeEach
    void paths() {
        file = dir.resolve("openclaw.json");
        lastGood = dir.resolve("openclaw.json.last-good");
    }

    private ConfigStore loadedStore() throws ConfigException {
        ConfigStore store = ConfigStore.open(file);
        store.load();
        return store;
    }

    @Test
    void aValidFileLoadsFreshWithTheHashOfItsBytes() throws Exception {
        write(file, VALID);
        Loaded loaded = ConfigStore.open(file).load();
        assertThat(loaded).isInstanceOf(Loaded.Fresh.class);
        assertThat(loaded.config().path("gateway").path("port").asInt()).isEqualTo(18789);
        assertThat(loaded.hash()).isEqualTo(sha256(bytes(file))).matches("[0-9a-f]{64}");
        assertThat(bytes(lastGood)).isEqualTo(bytes(file));
        assertThat(mode(lastGood)).isEqualTo("rw-------");
    }

    @Test
    void aMissingFileIsTheEmptyConfigAndNothingIsCreated() throws Exception {
        ConfigStore store = ConfigStore.open(file);
        Loaded loaded = store.load();
        assertThat(loaded).isEqualTo(new Loaded.Fresh(object("{}"), ConfigStore.EMPTY_HASH));
        assertThat(ConfigStore.EMPTY_HASH).isEqualTo(sha256("{}\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(file).doesNotExist();
        assertThat(lastGood).doesNotExist();
        assertThat(store.current().fromLastKnownGood()).isFalse();
    }

    @Test
    void aBrokenFileWithNoLastKnownGoodRefusesToLoad() {
        write(file, "{\n  \"gateway\": { \"port\": 1,, }\n}\n");
        ConfigStore store = ConfigStore.open(file);
        ConfigException e = catchThrowableOfType(ConfigException.class, store::load);
        assertThat(e.getMessage()).contains(file.toString()).contains("line 2, column").contains("no last-known-good copy");
        assertThat(text(file)).isEqualTo("{\n  \"gateway\": { \"port\": 1,, }\n}\n");
        assertThatThrownBy(store::current).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBrokenFileFallsBackToTheLastKnownGoodCopyAndIsLeftAlone() throws Exception {
        write(file, VALID);
        ConfigStore.open(file).load();
        byte[] good = bytes(lastGood);
        String broken = VALID.replace("\"port\": 18789", "\"port\": 70000");
        write(file, broken);

        ConfigStore store = ConfigStore.open(file);
        Loaded loaded = store.load();

        Loaded.LastKnownGood lkg = (Loaded.LastKnownGood) loaded;
        assertThat(lkg.config().path("gateway").path("port").asInt()).isEqualTo(18789);
        assertThat(lkg.problem().problems()).extracting(ConfigProblem::path).containsExactly("$.gateway.port");
        assertThat(lkg.hash()).as("the hash names the file on disk: the base for a repair").isEqualTo(sha256(bytes(file)));
        assertThat(text(file)).isEqualTo(broken);
        assertThat(bytes(lastGood)).isEqualTo(good);
        Snapshot now = store.current();
        assertThat(now.fromLastKnownGood()).isTrue();
        assertThat(now.problem()).containsSame(lkg.problem());
    }

    @Test
    void aSyntaxErrorAlsoFallsBackToTheLastKnownGoodCopy() throws Exception {
        write(file, VALID);
        ConfigStore.open(file).load();
        write(file, VALID.substring(0, VALID.length() / 2));
        Loaded loaded = ConfigStore.open(file).load();
        assertThat(loaded).isInstanceOf(Loaded.LastKnownGood.class);
        assertThat(((Loaded.LastKnownGood) loaded).problem().getMessage()).contains("not valid JSON at line");
    }

    @Test
    void aBrokenLastKnownGoodCopyDoesNotRescueABrokenFile() {
        write(file, "{\"gateway\": {\"prot\": 1}}");
        write(lastGood, "{\"gateway\": {\"port\": \"x\"}}");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigStore.open(file).load());
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("$.gateway.prot");
        assertThat(e.getMessage()).contains("last-known-good copy is not usable either").contains("$.gateway.port");
    }

    @Test
    void theLastKnownGoodCopyIsRewrittenOnlyWhenTheContentChanged() throws Exception {
        write(file, VALID);
        ConfigStore.open(file).load();
        FileTime old = FileTime.fromMillis(946_684_800_000L);
        Files.setLastModifiedTime(lastGood, old);
        ConfigStore.open(file).load();
        assertThat(Files.getLastModifiedTime(lastGood)).isEqualTo(old);

        String changed = VALID.replace("18789", "18790");
        write(file, changed);
        ConfigStore.open(file).load();
        assertThat(text(lastGood)).isEqualTo(changed);
    }

    @Test
    void aPatchChangesTheHashAndSurvivesAReload() throws Exception {
        write(file, VALID);
        ConfigStore store = loadedStore();
        String before = store.current().hash();

        Snapshot after = store.patch(before, json("{\"gateway\": {\"port\": 20000, \"bind\": null}}"));

        assertThat(after.hash()).isNotEqualTo(before).isEqualTo(sha256(bytes(file)));
        assertThat(after.config().path("gateway").path("port").asInt()).isEqualTo(20000);
        assertThat(after.config().path("gateway").has("bind")).as("null deletes (RFC 7386)").isFalse();
        assertThat(after.config().path("gateway").path("auth").path("token").asText()).as("untouched keys stay").isEqualTo(ConfigFixtures.TOKEN);
        assertThat(bytes(lastGood)).isEqualTo(bytes(file));
        Loaded reloaded = ConfigStore.open(file).load();
        assertThat(reloaded).isEqualTo(new Loaded.Fresh(after.config(), after.hash()));
        assertThat(store.current()).isEqualTo(after);
    }

    @Test
    void writesArePrettyJsonWithTwoSpacesAndAFinalNewline() throws Exception {
        ConfigStore store = loadedStore();
        store.patch(ConfigStore.EMPTY_HASH, json("{\"gateway\": {\"port\": 1234, \"controlUi\": {\"allowedOrigins\": [\"http://a\"]}}, \"meta\": {}}"));
        assertThat(text(file)).isEqualTo("""
                {
                  "gateway": {
                    "port": 1234,
                    "controlUi": {
                      "allowedOrigins": [
                        "http://a"
                      ]
                    }
                  },
                  "meta": {}
                }
                """);
    }

    @Test
    void aStaleBaseHashIsRefusedWithTheCurrentHash() throws Exception {
        write(file, VALID);
        ConfigStore store = loadedStore();
        String base = store.current().hash();
        store.patch(base, json("{\"gateway\": {\"port\": 20001}}"));
        byte[] afterFirst = bytes(file);

        ConfigConflictException e = catchThrowableOfType(ConfigConflictException.class,
                () -> store.patch(base, json("{\"gateway\": {\"port\": 20002}}")));

        assertThat(e.currentHash()).isEqualTo(sha256(afterFirst));
        assertThat(bytes(file)).isEqualTo(afterFirst);
        assertThatThrownBy(() -> store.patch(null, json("{}"))).isInstanceOf(ConfigConflictException.class).hasMessageContaining("baseHash is required");
        assertThatThrownBy(() -> store.patch("", json("{}"))).isInstanceOf(ConfigConflictException.class);
        assertThatThrownBy(() -> store.replace(base, object("{}")))
                .isInstanceOf(ConfigConflictException.class);
        assertThat(bytes(file)).isEqualTo(afterFirst);
    }

    @Test
    void anEditByHandBetweenGetAndPatchIsDetected() throws Exception {
        write(file, VALID);
        ConfigStore store = loadedStore();
        String seen = store.current().hash();
        String byHand = VALID.replace("\"bind\": \"loopback\"", "\"bind\": \"127.0.0.1\"");
        write(file, byHand);

        ConfigConflictException e = catchThrowableOfType(ConfigConflictException.class,
                () -> store.patch(seen, json("{\"gateway\": {\"port\": 20003}}")));

        assertThat(e.currentHash()).isEqualTo(sha256(byHand.getBytes(StandardCharsets.UTF_8)));
        assertThat(text(file)).as("the hand edit is kept").isEqualTo(byHand);
        Snapshot retried = store.patch(e.currentHash(), json("{\"gateway\": {\"port\": 20003}}"));
        assertThat(retried.config().path("gateway").path("bind").asText()).as("the retry is based on the hand edit").isEqualTo("127.0.0.1");
    }

    @Test
    void anInvalidPatchIsRefusedWithPathsAndTheFileStaysByteIdentical() throws Exception {
        write(file, VALID);
        ConfigStore store = loadedStore();
        Snapshot before = store.current();
        byte[] onDisk = bytes(file);
        byte[] backup = bytes(lastGood);

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> store.patch(before.hash(), json("{\"gateway\": {\"port\": 70000, \"prot\": 1}, \"agents\": {\"list\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}}")));
        assertThat(e.problems()).extracting(ConfigProblem::path).contains("$.gateway.port", "$.gateway.prot");
        assertThat(e.getMessage()).contains("nothing was written");
        ConfigException semantic = catchThrowableOfType(ConfigException.class,
                () -> store.patch(before.hash(), json("{\"gateway\": {\"bind\": \"lan\", \"auth\": {\"mode\": \"none\"}}}")));
        assertThat(semantic.problems()).extracting(ConfigProblem::path).containsExactly("$.gateway.auth.mode");
        ConfigException notObject = catchThrowableOfType(ConfigException.class, () -> store.patch(before.hash(), TextNode.valueOf("x")));
        assertThat(notObject.getMessage()).contains("must be a JSON object");
        assertThatThrownBy(() -> store.patch(before.hash(), json("[]"))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> store.patch(before.hash(), null)).isInstanceOf(ConfigException.class);

        assertThat(bytes(file)).isEqualTo(onDisk);
        assertThat(bytes(lastGood)).isEqualTo(backup);
        assertThat(store.current()).isEqualTo(before);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("openclaw.json", "openclaw.json.last-good");
    }

    @Test
    void aPatchCannotBeAppliedToAFileThatIsNotJsonButAReplaceRepairsIt() throws Exception {
        write(file, VALID);
        ConfigStore.open(file).load();
        String broken = "{ \"gateway\": ";
        write(file, broken);
        ConfigStore store = ConfigStore.open(file);
        Loaded loaded = store.load();

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> store.patch(loaded.hash(), json("{\"gateway\": {\"port\": 1}}")));
        assertThat(e.getMessage()).contains("fix it by hand or replace it whole").contains("nothing was written");
        assertThat(text(file)).isEqualTo(broken);

        var whole = store.redacted();
        whole.withObjectProperty("gateway").put("port", 20004);
        Snapshot repaired = store.replace(loaded.hash(), whole);

        assertThat(repaired.fromLastKnownGood()).isFalse();
        assertThat(repaired.config().path("gateway").path("port").asInt()).isEqualTo(20004);
        assertThat(repaired.config().path("gateway").path("auth").path("token").asText()).as("secrets kept from the running config").isEqualTo(ConfigFixtures.TOKEN);
        assertThat(ConfigStore.open(file).load()).isInstanceOf(Loaded.Fresh.class);
        try (var files = Files.list(dir)) {
            Path rejected = files.filter(p -> p.getFileName().toString().startsWith("openclaw.json.rejected.")).findFirst().orElseThrow();
            assertThat(text(rejected)).as("the broken hand edit is kept, not lost").isEqualTo(broken);
            assertThat(mode(rejected)).isEqualTo("rw-------");
        }
    }

    @Test
    void aPatchCanRepairAFileThatIsJsonButInvalid() throws Exception {
        write(file, VALID);
        ConfigStore.open(file).load();
        write(file, VALID.replace("\"port\": 18789", "\"port\": 70000"));
        ConfigStore store = ConfigStore.open(file);
        Loaded loaded = store.load();
        Snapshot fixed = store.patch(loaded.hash(), json("{\"gateway\": {\"port\": 18800}}"));
        assertThat(fixed.fromLastKnownGood()).isFalse();
        assertThat(ConfigStore.open(file).load()).isInstanceOf(Loaded.Fresh.class);
    }

    @Test
    void theFileAndTheLastKnownGoodCopyAreOwnerOnly() throws Exception {
        write(file, VALID);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigStore store = loadedStore();
        store.patch(store.current().hash(), json("{\"gateway\": {\"port\": 20005}}"));
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(lastGood)).isEqualTo("rw-------");
    }

    @Test
    void initializeWritesTheFirstRunTokenOwnerOnly() throws Exception {
        ConfigStore store = loadedStore();
        Snapshot s = store.initialize(c -> {
            c.withObjectProperty("gateway").withObjectProperty("auth").put("mode", "token").put("token", ConfigFixtures.TOKEN);
            return c;
        });
        assertThat(s.config().at("/gateway/auth/token").asText()).isEqualTo(ConfigFixtures.TOKEN);
        assertThat(s.hash()).isEqualTo(sha256(bytes(file)));
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(lastGood)).isEqualTo("rw-------");
    }

    @Test
    void initializeNeverOverwritesABrokenFileAndValidatesItsChange() throws Exception {
        write(file, "{ not json");
        ConfigStore store = ConfigStore.open(file);
        assertThatThrownBy(() -> store.initialize(c -> c.put("meta", "x"))).isInstanceOf(ConfigException.class);
        assertThat(text(file)).isEqualTo("{ not json");

        write(file, "{\"gateway\":{\"port\":1}}");
        assertThatThrownBy(() -> store.initialize(c -> {
            c.withObjectProperty("gateway").put("port", 0);
            return c;
        })).isInstanceOf(ConfigException.class).hasMessageContaining("$.gateway.port");
        assertThat(text(file)).isEqualTo("{\"gateway\":{\"port\":1}}");
    }

    @Test
    void aChangeThatChangesNothingKeepsTheOperatorsFormatting() throws Exception {
        String compact = "{\"gateway\":{\"port\":1}}";
        write(file, compact);
        ConfigStore store = loadedStore();
        Snapshot s = store.initialize(c -> c);
        Snapshot p = store.patch(s.hash(), json("{\"gateway\": {\"port\": 1}}"));
        assertThat(text(file)).isEqualTo(compact);
        assertThat(p.hash()).isEqualTo(sha256(compact.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLeftoverTempFileFromACrashDoesNotBreakLoadingOrWriting() throws Exception {
        write(file, VALID);
        write(dir.resolve(".openclaw.json.123456789.tmp"), "{\"gateway\": {\"po");
        write(dir.resolve("openclaw.json.tmp"), "");
        ConfigStore store = ConfigStore.open(file);
        assertThat(store.load()).isInstanceOf(Loaded.Fresh.class);
        Snapshot s = store.patch(store.current().hash(), json("{\"gateway\": {\"port\": 20006}}"));
        assertThat(ConfigStore.open(file).load().hash()).isEqualTo(s.hash());
    }

    @Test
    void aSymlinkedConfigStaysLinked() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("dotfiles")).resolve("openclaw.json");
        write(elsewhere, VALID);
        Files.createSymbolicLink(file, elsewhere);
        ConfigStore store = loadedStore();
        store.patch(store.current().hash(), json("{\"gateway\": {\"port\": 20007}}"));
        assertThat(file).isSymbolicLink();
        assertThat(json(text(elsewhere)).at("/gateway/port").asInt()).isEqualTo(20007);
    }

    @Test
    void writeAtomicallyReplacesWholeAndOwnerOnly() throws Exception {
        Path target = dir.resolve("x.json");
        write(target, "old");
        ConfigStore.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(text(target)).isEqualTo("new");
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(dir.toFile().list()).containsExactly("x.json");
        assertThatThrownBy(() -> ConfigStore.writeAtomically(dir.resolve("missing/x.json"), new byte[1]))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void anOversizedFileIsRefused() throws Exception {
        write(file, "{\"meta\": {\"pad\": \"" + "x".repeat(ConfigStore.MAX_BYTES) + "\"}}");
        assertThatThrownBy(() -> ConfigStore.open(file).load()).isInstanceOf(ConfigException.class).hasMessageContaining("larger than");
    }
}

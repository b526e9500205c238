package ai.clawbot.host.config;

import ai.clawbot.signing.AtomicFiles;
import ai.clawbot.signing.CheckMemo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The gateway's {@code openclaw.json}: validated on every load and write, written atomically, and backed by a
 * last-known-good copy ({@code openclaw.json.last-good}: {@link LastKnownGoodCopy}) that a broken file falls
 * back to. One per gateway; thread-safe (loads and writes are serialized; {@link #current()} never blocks).
 *
 * <p><b>Hash.</b> Lowercase hex SHA-256 of the file's exact bytes; when there is no file, of {@code "{}\n"}
 * (the bytes this store writes for an empty config: {@link #EMPTY_HASH}). It always names the file on disk,
 * also when the gateway runs on the last-known-good copy, because it is what a write's {@code baseHash} is
 * compared with: re-read from disk at each write, so an edit made by hand since {@code config.get} is never
 * overwritten. A file that exists but cannot be read reports {@code "unreadable"}, which no write can match.
 *
 * <p><b>OpenClaw's format.</b> The file is read as JSON5 and through {@link OpenClawDialect}: what the gateway
 * runs ({@link #current()}) is the normalized config (environment references resolved, OpenClaw's api names
 * mapped, unsupported keys dropped with one warning each: {@link #warnings()}); what a write starts from and
 * writes back is the file's own tree, so unsupported keys and {@code ${VAR}} references are kept. A plain-JSON
 * file is written back as 2-space JSON; a file with comments or other JSON5 syntax is changed by text edits that
 * keep every comment and untouched line ({@link CommentPreservingWriter}).
 *
 * <p><b>Not handled.</b> Another process writing the file between this store's re-read and its rename (a
 * window of microseconds); stale {@code .openclaw.json.*.tmp} files left by a crash are ignored, not swept.
 */
public final class ConfigStore {

    /** What {@link #redacted()} shows instead of a secret; sent back in a write, it keeps the stored secret. */
    public static final String REDACTED = Redaction.SENTINEL;

    /** The hash reported when {@code openclaw.json} does not exist: SHA-256 of {@code "{}\n"}. */
    public static final String EMPTY_HASH = ConfigJson.sha256(ConfigJson.serialize(JsonNodeFactory.instance.objectNode()));

    /** A config is a few KiB; refusing a huge file keeps a mistake (or a prank) from eating the heap. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(ConfigStore.class.getName());
    static final String UNCHANGED = "nothing was written; the file is unchanged";
    /** The hash reported for a file that exists but cannot be read: there are no bytes to hash, and it matches no file. */
    static final String UNREADABLE = "unreadable";

    private final Path file;
    private final LastKnownGoodCopy lastGood;
    private final ConfigChecker checker;
    private final CommentPreservingWriter writer;
    private final Object lock = new Object();
    private volatile State state;

    /**
     * Rules the schema cannot know, checked on every write after the schema (e.g. each loaded skill's settings
     * against its manifest): a problem refuses the write and leaves the file as it was.
     */
    public void checkWritesWith(Function<JsonNode, List<ConfigProblem>> rules) {
        checker.checkWritesWith(rules);
    }

    /**
     * The config as the gateway runs it ({@code config}, normalized) and as written ({@code raw});
     * {@code problem} is set when it comes from the last-known-good copy.
     */
    private record State(ObjectNode raw, ObjectNode config, String hash, ConfigException problem,
                         List<ConfigProblem> warnings) {
    }

    private ConfigStore(Path file, Function<String, String> env, CheckMemo passed) {
        this.file = file;
        this.checker = new ConfigChecker(file, env, passed);
        this.lastGood = new LastKnownGoodCopy(file);
        this.writer = CommentPreservingWriter.create(file);
    }

    /**
     * Reads a value or patch typed for the config ({@code claw config set|patch}) exactly as the file is read: JSON5,
     * no duplicate keys, no trailing content, exact decimals.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static JsonNode readJson5(String text) {
        return ConfigJson.value(text);
    }

    /** A store for {@code file}; nothing is read until {@link #load()}. */
    public static ConfigStore open(Path file) {
        return open(file, System::getenv);
    }

    /** A store whose {@code ${VAR}} references are looked up in {@code env} (null: unset). */
    public static ConfigStore open(Path file, Function<String, String> env) {
        return new ConfigStore(file.toAbsolutePath().normalize(), env, CheckMemo.NONE);
    }

    /**
     * The gateway's store: a config that passed validation before under this build is not validated again
     * ({@link PassedChecks} kept in {@code state}'s folder), so a warm start compiles no schema.
     */
    public static ConfigStore open(StateDir state) {
        return new ConfigStore(state.configFile().toAbsolutePath().normalize(), System::getenv, PassedChecks.in(state.root()));
    }

    /**
     * The keys of the running config that are ignored (OpenClaw's keys this gateway does not serve), one per key
     * at its JSON path. Empty before the first load.
     */
    public List<ConfigProblem> warnings() {
        State s = state;
        return s == null ? List.of() : s.warnings();
    }

    public Path file() {
        return file;
    }

    public Path lastKnownGoodFile() {
        return lastGood.file();
    }

    /**
     * Reads {@code openclaw.json}. Valid (or absent, meaning {@code {}}): {@link Loaded.Fresh}, and the
     * last-known-good copy is refreshed if its content differs. Broken (unreadable, not JSON, invalid): the
     * file is left as it is and the last-known-good copy is used ({@link Loaded.LastKnownGood}, logged as a
     * warning); if that copy is missing or unusable too, throws with the file's problems, and the store keeps
     * whatever it ran on before.
     */
    public Loaded load() throws ConfigException {
        synchronized (lock) {
            ConfigOnDisk disk;
            try {
                disk = ConfigOnDisk.read(file);
            } catch (ConfigException unreadable) {
                return fallBack(unreadable, UNREADABLE);
            }
            ConfigChecker.Parsed parsed;
            try {
                parsed = checker.parseValid(file, disk.bytesOrEmpty());
            } catch (ConfigException broken) {
                return fallBack(broken, disk.hash());
            }
            if (disk.bytes() != null) {
                lastGood.refresh(disk.bytes());
            }
            ObjectNode config = parsed.normalized().config();
            parsed.normalized().warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "{0}: {1}", file, w));
            state = new State(parsed.raw(), config, disk.hash(), null, parsed.normalized().warnings());
            return new Loaded.Fresh(config.deepCopy(), disk.hash());
        }
    }

    /**
     * Reads and validates the file as it is on disk, changing nothing (no last-known-good refresh): for
     * {@code claw doctor} and {@code claw security audit}. Absent means {@code {}}.
     *
     * @throws ConfigException naming the JSON path of each problem
     */
    public ObjectNode inspect() throws ConfigException {
        ConfigOnDisk disk = ConfigOnDisk.read(file);
        return disk.bytes() == null ? JsonNodeFactory.instance.objectNode() : checker.parseValid(file, disk.bytes()).normalized().config();
    }

    /**
     * What the file on disk means here, changing nothing: for {@code claw config migrate}.
     *
     * @throws ConfigException when it is not JSON5 or is invalid
     */
    public OpenClawDialect.Normalized inspectDialect() throws ConfigException {
        ConfigOnDisk disk = ConfigOnDisk.read(file);
        return checker.parseValid(file, disk.bytesOrEmpty())
                .normalized();
    }

    /** What the gateway runs on now (a copy). Throws IllegalStateException before the first successful {@link #load()}. */
    public Snapshot current() {
        State s = loaded();
        return new Snapshot(s.config().deepCopy(), s.hash(), s.problem() != null, Optional.ofNullable(s.problem()));
    }

    /**
     * A copy of the current config with every secret replaced by {@link #REDACTED}: the value of any key named
     * {@code apiKey}, {@code token}, {@code password} or {@code secret} (ignoring case), anywhere.
     */
    public ObjectNode redacted() {
        return Redaction.redact(loaded().raw());
    }

    /**
     * Applies an RFC 7386 merge patch to the file as it is on disk now, validates the result and writes it.
     *
     * @throws ConfigConflictException {@code baseHash} is missing or is not the hash of the file on disk now
     * @throws ConfigException          the patch is not an object, the file on disk is not JSON (fix it, or
     *                                  {@link #replace} it whole), a {@link #REDACTED} has nothing to keep, or
     *                                  the result is invalid; nothing was written
     * @throws IOException              the write failed; the file is as it was
     */
    public Snapshot patch(String baseHash, JsonNode mergePatch) throws ConfigException, ConfigConflictException, IOException {
        synchronized (lock) {
            ConfigOnDisk disk = ConfigOnDisk.read(file);
            disk.checkBase(baseHash);
            if (mergePatch == null || !mergePatch.isObject()) {
                throw new ConfigException(file, List.of(new ConfigProblem("$", "a merge patch must be a JSON object")), UNCHANGED);
            }
            ObjectNode base = disk.tree("a patch needs a file that is JSON: fix it by hand or replace it whole; " + UNCHANGED);
            ObjectNode next = (ObjectNode) MergePatch.apply(base, mergePatch);
            return write(disk, base, next, checker.checkWrite(base, next, mergePatch), false);
        }
    }

    /**
     * Replaces the whole config, with the same rules as {@link #patch}. Also repairs a file that is not JSON:
     * the broken bytes are kept as {@code openclaw.json.rejected.<time>}, and {@link #REDACTED} values are
     * kept from the config the gateway runs on.
     */
    public Snapshot replace(String baseHash, ObjectNode whole) throws ConfigException, ConfigConflictException, IOException {
        Objects.requireNonNull(whole, "whole");
        synchronized (lock) {
            ConfigOnDisk disk = ConfigOnDisk.read(file);
            disk.checkBase(baseHash);
            ObjectNode base;
            boolean broken = false;
            try {
                base = disk.tree(null);
            } catch (ConfigException notJson) {
                base = state == null ? JsonNodeFactory.instance.objectNode() : state.raw();
                broken = true;
            }
            ObjectNode next = whole.deepCopy();
            return write(disk, base, next, checker.checkWrite(base, next, whole), broken);
        }
    }

    /**
     * The gateway's own first-run writes (e.g. saving a generated token): applies {@code change} to the file as
     * it is on disk now, without a base hash. Refuses (ConfigException) when the file on disk is broken, so a
     * hand-edited file is never overwritten, or when the result is invalid. Writes nothing if nothing changed.
     */
    public Snapshot initialize(UnaryOperator<ObjectNode> change) throws ConfigException, IOException {
        synchronized (lock) {
            ConfigOnDisk disk = ConfigOnDisk.read(file);
            ObjectNode base = disk.tree(UNCHANGED);
            ObjectNode next = Objects.requireNonNull(change.apply(base.deepCopy()), "the change returned null");
            return write(disk, base, next, checker.checkWrite(base, next, null), false);
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} so that a crash leaves the old content or the new, never a mix:
     * a temp file in the same folder created 0600, written and fsync'd, atomically renamed over {@code file},
     * then the folder fsync'd.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFiles.replace(file, bytes);
    }

    /**
     * Writes a checked {@code next}; not when it equals the parsed file ({@code base}, unless {@code overBroken}),
     * which keeps the operator's formatting and an absent file absent.
     */
    private Snapshot write(ConfigOnDisk disk, ObjectNode base, ObjectNode next, OpenClawDialect.Normalized normalized,
                           boolean overBroken) throws IOException {
        byte[] bytes = disk.bytes();
        if (overBroken) {
            bytes = writer.replaceBroken(bytes, next);
        } else if (!next.equals(base)) {
            bytes = writer.write(bytes, base, next);
        }
        if (bytes != null) {
            lastGood.refresh(bytes);
        }
        State s = new State(next, normalized.config(), bytes == null ? EMPTY_HASH : ConfigJson.sha256(bytes), null,
                normalized.warnings());
        state = s;
        return new Snapshot(s.config().deepCopy(), s.hash(), false, Optional.empty());
    }

    private Loaded fallBack(ConfigException problem, String diskHash) throws ConfigException {
        ConfigChecker.Parsed good = lastGood.standIn(problem, checker);
        LOG.log(System.Logger.Level.WARNING, "CONFIG IS BROKEN, RUNNING ON THE LAST-KNOWN-GOOD COPY {0}: {1}. Fix the file;"
                + " changes made to it since that copy are NOT in effect.", lastGood.file(), problem.getMessage());
        state = new State(good.raw(), good.normalized().config(), diskHash, problem, good.normalized().warnings());
        return new Loaded.LastKnownGood(good.normalized().config().deepCopy(), diskHash, problem);
    }

    private State loaded() {
        State s = state;
        if (s == null) {
            throw new IllegalStateException("the config has not been loaded yet: call load() first");
        }
        return s;
    }
}

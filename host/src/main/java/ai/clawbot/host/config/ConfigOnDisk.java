package ai.clawbot.host.config;

import ai.clawbot.signing.AtomicFiles;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code openclaw.json} as read just now, the base of a load or a write: its bytes (null when there is no file) and
 * their hash ({@link ConfigStore} says which hash).
 */
record ConfigOnDisk(Path file, byte[] bytes, String hash) {

    /** @throws ConfigException when the file exists but cannot be read, or is larger than {@link ConfigStore#MAX_BYTES} */
    static ConfigOnDisk read(Path file) throws ConfigException {
        try {
            byte[] bytes = AtomicFiles.readIfExists(file, ConfigStore.MAX_BYTES);
            return new ConfigOnDisk(file, bytes, bytes == null ? ConfigStore.EMPTY_HASH : ConfigJson.sha256(bytes));
        } catch (IOException e) {
            throw ConfigException.of(file, "$", "cannot read the file: " + e);
        }
    }

    /** The bytes, or those of an empty config ({@code {}}) when there is no file. */
    byte[] bytesOrEmpty() {
        return bytes != null ? bytes : ConfigJson.serialize(JsonNodeFactory.instance.objectNode());
    }

    /**
     * The file as a JSON object ({@code {}} when absent), not yet validated: the base of a change.
     *
     * @param context what a syntax error means here (e.g. that nothing was written); null: the parser's own error
     */
    ObjectNode tree(String context) throws ConfigException {
        try {
            return bytes == null ? JsonNodeFactory.instance.objectNode() : ConfigJson.parse(file, bytes);
        } catch (ConfigException broken) {
            throw context == null ? broken : new ConfigException(file, broken.problems(), context);
        }
    }

    /** @throws ConfigConflictException {@code baseHash} is missing or is not this file's hash */
    void checkBase(String baseHash) throws ConfigConflictException {
        if (baseHash == null || !baseHash.equals(hash)) {
            throw new ConfigConflictException(baseHash, hash);
        }
    }
}

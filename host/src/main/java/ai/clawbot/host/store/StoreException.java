package ai.clawbot.host.store;

/** The configured store cannot be opened (unreachable database, failed migration, missing password secret). */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

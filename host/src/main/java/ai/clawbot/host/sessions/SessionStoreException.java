package ai.clawbot.host.sessions;

/** The session store could not do what was asked (I/O failure, damaged transcript); the message says which file. */
public class SessionStoreException extends RuntimeException {

    public SessionStoreException(String message) {
        super(message);
    }

    public SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

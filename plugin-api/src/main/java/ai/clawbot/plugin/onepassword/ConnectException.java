package ai.clawbot.plugin.onepassword;

/**
 * A 1Password Connect call that did not give an answer. The message names the reference or the request and the
 * cause; it never holds the Connect token or a field's value.
 */
public final class ConnectException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Code {
        /** The server refused the token (401/403). */
        UNAUTHORIZED,
        /** No answer: connection refused, DNS, TLS, or the deadline passed. */
        UNREACHABLE,
        /** No such vault, item, section or field. */
        NOT_FOUND,
        /** A name matches more than one vault, item, section or field. */
        AMBIGUOUS,
        /** The server answered something the Connect API does not answer. */
        BAD_RESPONSE,
        /** The reference is malformed, or asks for something the field cannot give (an OTP of a non-OTP field). */
        BAD_REFERENCE
    }

    private final Code code;

    public ConnectException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}

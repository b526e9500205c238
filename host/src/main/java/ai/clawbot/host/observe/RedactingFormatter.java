package ai.clawbot.host.observe;

import java.util.Objects;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Wraps any formatter (the console's) so that what it produces is redacted before it is written. */
public final class RedactingFormatter extends Formatter {

    private final Formatter delegate;
    private final SecretRedactor redactor;

    private RedactingFormatter(Formatter delegate, SecretRedactor redactor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    public static RedactingFormatter wrap(Formatter delegate, SecretRedactor redactor) {
        return new RedactingFormatter(delegate, redactor);
    }

    @Override
    public String format(LogRecord r) {
        return redactor.redact(delegate.format(r));
    }

    @Override
    public String getHead(Handler h) {
        return redactor.redact(delegate.getHead(h));
    }

    @Override
    public String getTail(Handler h) {
        return redactor.redact(delegate.getTail(h));
    }
}

package ai.clawbot.host.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs from a registry with limits a hostile or broken server cannot stretch: a size cap (the body is cut off,
 * not buffered, past it), one deadline for the whole response (a never-ending trickle ends), and redirects only
 * to the same scheme, host and port (at most three).
 */
public final class BoundedFetch {

    private static final int MAX_REDIRECTS = 3;

    private final HttpClient http;
    private final Duration deadline;

    private BoundedFetch(Duration deadline) {
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static BoundedFetch create(Duration deadline) {
        return new BoundedFetch(deadline);
    }

    /** Why a fetch was refused: a reason code for tests and operators, and a sentence. */
    public static final class Refused extends IOException {
        private final String reason;

        public Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The body of {@code uri}, at most {@code maxBytes}; 404 is {@code NOT_FOUND}. */
    public byte[] get(URI uri, long maxBytes) throws Refused {
        URI current = uri;
        long started = System.nanoTime();
        for (int hop = 0; ; hop++) {
            Duration left = deadline.minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) {
                throw new Refused("TIMEOUT", "GET " + uri + " took longer than " + deadline.toSeconds() + " s");
            }
            HttpResponse<byte[]> r = once(current, maxBytes, left);
            int status = r.statusCode();
            if (status >= 300 && status < 400 && r.headers().firstValue("location").isPresent()) {
                URI next = current.resolve(r.headers().firstValue("location").get());
                if (!sameOrigin(current, next)) {
                    throw new Refused("CROSS_HOST_REDIRECT", "GET " + current + " redirected to " + next
                            + ", another host; a registry's files must come from the registry");
                }
                if (hop >= MAX_REDIRECTS) {
                    throw new Refused("TOO_MANY_REDIRECTS", "GET " + uri + " redirected more than " + MAX_REDIRECTS + " times");
                }
                current = next;
                continue;
            }
            if (status == 404) {
                throw new Refused("NOT_FOUND", "GET " + current + " answered 404");
            }
            if (status != 200) {
                throw new Refused("HTTP_" + status, "GET " + current + " answered " + status);
            }
            return r.body();
        }
    }

    private HttpResponse<byte[]> once(URI uri, long maxBytes, Duration left) throws Refused {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(left).GET().build();
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req, info -> {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            // A declared length over the cap is refused before reading a byte of the body.
            return new Capped(info.statusCode() == 200 && declared > maxBytes ? -1 : maxBytes);
        });
        try {
            return f.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Refused("TIMEOUT", "GET " + uri + " did not finish within " + deadline.toSeconds()
                    + " s (a never-ending response?)");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Refused("INTERRUPTED", "interrupted fetching " + uri);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge) {
                throw tooLarge(uri, maxBytes);
            }
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                throw new Refused("TIMEOUT", "GET " + uri + " did not answer within " + deadline.toSeconds() + " s");
            }
            throw new Refused("UNREACHABLE", "GET " + uri + " failed: "
                    + Objects.requireNonNullElse(e.getCause().getMessage(), e.getCause().getClass().getSimpleName()));
        }
    }

    private static Refused tooLarge(URI uri, long maxBytes) {
        return new Refused("TOO_LARGE", "GET " + uri + " is over " + maxBytes + " bytes");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(Objects.requireNonNullElse(b.getScheme(), ""))
                && a.getHost().equalsIgnoreCase(Objects.requireNonNullElse(b.getHost(), ""))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }

    /** Collects at most {@code max} bytes; past that (at once when {@code max < 0}) it cancels the stream and fails. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(long max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (max < 0) {
                s.cancel();
                result.completeExceptionally(new TooLarge());
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buf.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buf.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buf.toByteArray());
        }
    }
}

package ai.clawbot.skills.web;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body kept to its first {@code cap} bytes: past the cap the download is cancelled (not read and
 * dropped), so a huge or endless response costs at most {@code cap} bytes of memory and no more transfer.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Body> {

    /** The bytes kept, and whether the response had more. */
    record Body(byte[] bytes, boolean truncated) {
    }

    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private CappedBody(int cap) {
        this.cap = cap;
    }

    static HttpResponse.BodyHandler<Body> handler(int cap) {
        return info -> new CappedBody(cap);
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int room = cap - kept.size();
            if (b.remaining() > room) {
                byte[] part = new byte[room];
                b.get(part);
                kept.write(part, 0, room);
                subscription.cancel();
                result.complete(new Body(kept.toByteArray(), true));
                return;
            }
            byte[] all = new byte[b.remaining()];
            b.get(all);
            kept.write(all, 0, all.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(new Body(kept.toByteArray(), false));
    }
}

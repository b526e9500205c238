package ai.clawbot.host.gateway.frames;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Helidon's WebSocket upgrade with an RFC 6455 check in front of its frame decoder. Helidon 4.2 (and 4.5, the newest
 * on Maven Central) answers a reserved opcode with an HTTP 500 written into the upgraded stream, accepts oversized
 * and fragmented control frames and a new data frame inside a fragmented message, and decodes each text fragment
 * on its own (a character split across fragments turns into two U+FFFD). The upgraded connection here reads
 * through {@link FrameCheck}, which refuses those frames with a close frame before Helidon sees them.
 */
public final class StrictWsUpgrader extends WsUpgrader {

    private final int maxFrameLength;

    private StrictWsUpgrader(WsConfig config) {
        super(config);
        this.maxFrameLength = config.maxFrameLength();
    }

    public static StrictWsUpgrader create(WsConfig config) {
        return new StrictWsUpgrader(config);
    }

    /**
     * An HTTP/1.1 connection selector whose only upgrade is this strict WebSocket one; a listener tries custom
     * selectors before the ones it builds from its protocols, so this one takes every HTTP/1.1 connection.
     */
    public static ServerConnectionSelector http1Selector(WsConfig config) {
        return Http1ConnectionSelector.builder()
                .config(Http1Config.create())
                .addUpgrader(create(config))
                .build();
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        // Bytes the client sent right behind the upgrade request are still in ctx's reader: FrameCheck reads from
        // it, so nothing is skipped. If the upgrade is refused, the checked context is simply dropped.
        DataReader checked = new DataReader(FrameCheck.create(ctx.dataReader(), maxFrameLength));
        return super.upgrade(new CheckedContext(ctx, checked), prologue, headers);
    }
}

package ai.clawbot.host.gateway;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.config.StateDir;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link ChatCrashTest} kills: a real gateway (default options, so the offline engine) on a free
 * loopback port over the given state folder. It prints {@code PORT <n>} once {@link Gateway#start} has
 * returned, i.e. once the gateway is ready, and then runs until it is killed; nothing is closed on purpose.
 *
 * <p>Arguments: state folder, token.
 */
public final class GatewayChild {

    private GatewayChild() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        String token = args[1];
        // Straight to fd 1: System.out may be swapped by logging set-up, and the parent reads this line.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Gateway gateway = Gateways.start(new GatewayConfig("127.0.0.1", 0, token, new StateDir(state)));
        out.println("PORT " + gateway.port());
        Thread.currentThread().join(); // until SIGKILL
    }
}

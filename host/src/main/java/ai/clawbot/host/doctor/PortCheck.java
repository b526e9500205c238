package ai.clawbot.host.doctor;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The gateway's port is free, or held by a running gateway of ours ({@code /healthz} answers as one). */
record PortCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        String where = c.bind() + ":" + c.port();
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(c.bind()), c.port()));
            return List.of(DoctorResult.ok("port", where + " is free"));
        } catch (BindException e) {
            if (gatewayAnswers(c)) {
                return List.of(DoctorResult.ok("port", where + " is held by a running Clawbot gateway (/healthz answers)"));
            }
            return List.of(DoctorResult.fail("port", where + " is in use by another program",
                    "see who holds it: ss -ltnp 'sport = :" + c.port() + "'; or run claw gateway --port N"
                            + " (OPENCLAW_GATEWAY_PORT=N, gateway.port)"));
        } catch (IOException e) {
            return List.of(DoctorResult.fail("port", "cannot listen on " + where + ": " + e.getMessage(),
                    "check gateway.bind in openclaw.json (loopback is the default)"));
        }
    }

    private static boolean gatewayAnswers(DoctorContext c) {
        String host = c.bind().equals("0.0.0.0") ? "127.0.0.1" : c.bind().contains(":") ? "[" + c.bind() + "]" : c.bind();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + c.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"status\":\"live\"");
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

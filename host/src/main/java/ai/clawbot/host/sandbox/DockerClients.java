package ai.clawbot.host.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/** A docker-java client for the local engine ({@code DOCKER_HOST}, else the default socket). */
public final class DockerClients {

    private DockerClients() {
    }

    public static DockerClient create() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        // No response timeout: it would also cut attach streams of quiet tools; deadlines are enforced per call.
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig() != null ? config.getSSLConfig() : DockerClients::noTls)
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * The TLS context for an engine reached without TLS (a unix socket, plain {@code tcp://}): it trusts no peer. Without
     * one the transport builds the JDK's default context, parsing the whole CA store (~0.2 s of every start) for a
     * connection that never uses it.
     */
    private static javax.net.ssl.SSLContext noTls() throws java.security.NoSuchAlgorithmException,
            java.security.KeyManagementException {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
        return context;
    }

    /** Whether an engine answers. */
    public static boolean available(DockerClient docker) {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

package ai.clawbot.host.sandbox;

import ai.clawbot.host.sandbox.egress.EgressListener;
import ai.clawbot.host.sandbox.egress.EgressGrant;
import ai.clawbot.host.sandbox.egress.EgressProxy;
import ai.clawbot.host.sandbox.egress.HostPort;
import ai.clawbot.host.sandbox.egress.Resolver;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The only way out for a container whose manifest has an allowlist: its own {@code --internal} Docker
 * network (no route anywhere, no external DNS), and an {@link EgressProxy} of its own listening on that
 * network's gateway address, serving only the allowlisted {@code host:port}s. When the gateway runs as
 * root, an iptables rule also stops the container from reaching any other port of the host on that bridge.
 */
final class EgressNetwork implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EgressNetwork.class.getName());

    private final DockerClient docker;
    private final String networkId;
    private final EgressProxy proxy;
    private final List<List<String>> firewallRules;

    private EgressNetwork(DockerClient docker, String networkId, EgressProxy proxy, List<List<String>> firewallRules) {
        this.docker = docker;
        this.networkId = networkId;
        this.proxy = proxy;
        this.firewallRules = firewallRules;
    }

    /**
     * {@code allow}: the (policy-narrowed) allowlist; an entry equal to one of the operator's {@code grants} is
     * served under that grant's rules (and named by it in the proxy's log), the others exactly.
     */
    static EgressNetwork open(DockerClient docker, List<String> allow, List<EgressGrant> grants, Map<String, String> labels,
                              Resolver resolver, EgressListener listener) throws IOException {
        List<EgressGrant> granted = grants.stream().filter(g -> allow.contains(g.toString())).toList();
        List<HostPort> allowlist = allow.stream().filter(a -> granted.stream().noneMatch(g -> g.toString().equals(a)))
                .map(HostPort::parse).toList();
        CreateNetworkResponse created = docker.createNetworkCmd()
                .withName("clawbot-egress-" + java.util.UUID.randomUUID().toString().substring(0, 12))
                .withDriver("bridge").withInternal(true).withLabels(labels).exec();
        String id = created.getId();
        EgressProxy proxy = null;
        List<List<String>> rules = new ArrayList<>();
        try {
            Network net = docker.inspectNetworkCmd().withNetworkId(id).exec();
            String gateway = net.getIpam().getConfig().get(0).getGateway();
            proxy = EgressProxy.builder().bind(InetAddress.getByName(gateway), 0).allow(allowlist).grant(granted)
                    .resolver(resolver).listener(listener).build().start();
            String bridge = "br-" + id.substring(0, 12);
            // Inserted in reverse: the ACCEPT for the proxy port ends up above the DROP for everything else.
            List<String> drop = List.of("INPUT", "-i", bridge, "-j", "DROP");
            List<String> accept = List.of("INPUT", "-i", bridge, "-p", "tcp", "--dport", String.valueOf(proxy.port()), "-j", "ACCEPT");
            if (iptables("-I", drop) && iptables("-I", accept)) {
                rules.add(accept);
                rules.add(drop);
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not restrict host ports on " + bridge
                        + " (needs root and iptables); the container can reach host services listening on " + gateway);
            }
            return new EgressNetwork(docker, id, proxy, rules);
        } catch (IOException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            docker.removeNetworkCmd(id).exec();
            throw e;
        }
    }

    String networkId() {
        return networkId;
    }

    String proxyHost() {
        return proxy.address().getAddress().getHostAddress();
    }

    int proxyPort() {
        return proxy.port();
    }

    /** JVM flags and environment that point a container's clients at the proxy. */
    List<String> jvmFlags() {
        return List.of("-Dhttp.proxyHost=" + proxyHost(), "-Dhttp.proxyPort=" + proxyPort(),
                "-Dhttps.proxyHost=" + proxyHost(), "-Dhttps.proxyPort=" + proxyPort(), "-Dhttp.nonProxyHosts=");
    }

    List<String> env() {
        String url = "http://" + proxyHost() + ":" + proxyPort();
        return List.of("HTTP_PROXY=" + url, "HTTPS_PROXY=" + url, "http_proxy=" + url, "https_proxy=" + url);
    }

    /** Closes the proxy, lifts the firewall rules and removes the network (after its container is gone). */
    @Override
    public void close() {
        proxy.close();
        for (List<String> rule : firewallRules) {
            iptables("-D", rule);
        }
        try {
            docker.removeNetworkCmd(networkId).exec();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove egress network " + networkId + ": " + e.getMessage());
        }
    }

    private static boolean iptables(String op, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", op));
        cmd.addAll(rule);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

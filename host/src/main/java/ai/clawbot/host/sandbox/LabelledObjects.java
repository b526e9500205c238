package ai.clawbot.host.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ids of the engine's containers and networks that carry given labels (what the start-up sweep removes). Read
 * from the engine's JSON answer: docker-java's typed lists bind every field of every entry, and building those
 * deserializers cold cost ~0.1 s of each gateway start for the one field the sweep needs. A client without the raw
 * transport (a test double) is asked through its typed commands.
 */
final class LabelledObjects {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelledObjects() {
    }

    static List<String> containers(DockerClient docker, Map<String, String> labels) {
        if (docker instanceof DockerClientImpl impl) {
            return ids(impl.getHttpClient(), "/containers/json?all=1&filters=" + labelFilter(labels));
        }
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(com.github.dockerjava.api.model.Container::getId).toList();
    }

    static List<String> networks(DockerClient docker, Map<String, String> labels) {
        if (docker instanceof DockerClientImpl impl) {
            return ids(impl.getHttpClient(), "/networks?filters=" + labelFilter(labels));
        }
        return docker.listNetworksCmd().withFilter("label", labelList(labels)).exec().stream()
                .map(com.github.dockerjava.api.model.Network::getId).toList();
    }

    private static List<String> ids(DockerHttpClient http, String path) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            JsonNode answer = JSON.readTree(response.getBody());
            if (response.getStatusCode() != 200 || answer == null || !answer.isArray()) {
                throw new IllegalStateException("the engine answered " + response.getStatusCode() + " to GET " + path
                        + (answer == null ? "" : ": " + answer.path("message").asText(answer.toString())));
            }
            List<String> ids = new ArrayList<>();
            answer.forEach(o -> ids.add(o.path("Id").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> labelList(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String labelFilter(Map<String, String> labels) {
        var filter = JSON.createObjectNode();
        labelList(labels).forEach(filter.putArray("label")::add);
        return URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
    }
}

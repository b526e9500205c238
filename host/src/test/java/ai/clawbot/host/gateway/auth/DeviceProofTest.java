package ai.clawbot.host.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;

class DeviceProofTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void noDeviceIsEmpty() {
        assertThat(DeviceProof.from(null)).isEmpty();
        assertThat(DeviceProof.from(NullNode.getInstance())).isEmpty();
        assertThat(DeviceProof.from(MissingNode.getInstance())).isEmpty();
    }

    @Test
    void aWellFormedDeviceIsRead() throws Exception {
        assertThat(DeviceProof.from(json("{'id':'i','publicKey':'k','signature':'s','signedAt':1760000000000,'nonce':'n'}")))
                .contains(new DeviceProof("i", "k", "s", 1_760_000_000_000L, "n"));
    }

    @Test
    void wrongShapesAreRefusedNamingTheField() throws Exception {
        String ok = "'id':'i','publicKey':'k','signature':'s','signedAt':5,'nonce':'n'";
        String[][] cases = {
            {"[1]", "device must be an object"},
            {"'device'", "device must be an object"},
            {"{'publicKey':'k','signature':'s','signedAt':5,'nonce':'n'}", "device.id"},
            {"{" + ok.replace("'id':'i'", "'id':7") + "}", "device.id"},
            {"{" + ok.replace("'nonce':'n'", "'nonce':''") + "}", "device.nonce"},
            {"{" + ok.replace("'publicKey':'k'", "'publicKey':{'k':1}") + "}", "device.publicKey"},
            {"{" + ok.replace("'signature':'s'", "'signature':null") + "}", "device.signature"},
            {"{" + ok.replace("'signedAt':5", "'signedAt':'5'") + "}", "device.signedAt"},
            {"{" + ok.replace("'signedAt':5", "'signedAt':5.5") + "}", "device.signedAt"},
            {"{" + ok.replace("'signedAt':5", "'signedAt':-1") + "}", "device.signedAt"},
            {"{" + ok.replace("'signedAt':5", "'signedAt':123456789012345678901234567890") + "}", "device.signedAt"},
            {"{" + ok.replace("'id':'i'", "'id':'" + "x".repeat(3000) + "'") + "}", "device.id"},
            {"{" + ok + ",'extra':true}", "unknown field 'extra'"},
        };
        for (String[] c : cases) {
            JsonNode node = json(c[0]);
            assertThatThrownBy(() -> DeviceProof.from(node)).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
    }
}

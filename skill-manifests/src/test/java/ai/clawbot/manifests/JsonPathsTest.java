package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"                      | $",
            "/                         | $",
            "/tools/0/name             | $.tools[0].name",
            "/tools/12/input/type      | $.tools[12].input.type",
            "/permissions/workspace    | $.permissions.workspace",
            "/a~1b                     | $['a/b']",
            "/a~0b                     | $['a~b']",
            "/01                       | $['01']",
            "/it's                     | $['it\\'s']",
            "$.already.a.path          | $.already.a.path",
    })
    void pointerBecomesJsonPath(String pointer, String path) {
        assertThat(JsonPaths.fromPointer(pointer)).isEqualTo(path);
    }
}

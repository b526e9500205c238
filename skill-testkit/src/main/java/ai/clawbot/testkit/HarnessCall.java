package ai.clawbot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call made through {@link SkillHarness}: the tool answered ({@link #ok()}) or refused with a
 * {@link ToolException} ({@link #refused(String)}). Assertions fail with the tool, its arguments and what
 * actually happened.
 */
public final class HarnessCall {

    private final String tool;
    private final JsonNode args;
    private final ToolResult result;
    private final ToolException refusal;

    private HarnessCall(String tool, JsonNode args, ToolResult result, ToolException refusal) {
        this.tool = tool;
        this.args = args;
        this.result = result;
        this.refusal = refusal;
    }

    static HarnessCall answered(String tool, JsonNode args, ToolResult result) {
        return new HarnessCall(tool, args, result, null);
    }

    static HarnessCall refused(String tool, JsonNode args, ToolException e) {
        return new HarnessCall(tool, args, null, e);
    }

    public String tool() {
        return tool;
    }

    public JsonNode args() {
        return args;
    }

    public boolean isOk() {
        return result != null;
    }

    /** Asserts the tool answered. */
    public HarnessCall ok() {
        if (refusal != null) {
            throw new AssertionError(tool + " " + args + " should answer but was refused: " + refusal.code() + ": " + refusal.getMessage());
        }
        return this;
    }

    /** The result; fails if the tool refused. */
    public ToolResult result() {
        ok();
        return result;
    }

    public String text() {
        return result().text();
    }

    /** The structured result, or a missing node when the tool gave none. */
    public JsonNode structured() {
        JsonNode s = result().structured();
        return s == null ? SkillHarness.JSON.missingNode() : s;
    }

    public HarnessCall textIs(String expected) {
        assertThat(text()).as(tool + " " + args + " text").isEqualTo(expected);
        return this;
    }

    public HarnessCall textContains(String... parts) {
        assertThat(text()).as(tool + " " + args + " text").contains(parts);
        return this;
    }

    /** Asserts the structured value at a JSON Pointer ({@code /path}) as text. */
    public HarnessCall structuredAt(String pointer, String expected) {
        assertThat(structured().at(pointer).asText()).as(tool + " " + args + " structured " + pointer).isEqualTo(expected);
        return this;
    }

    /** Asserts the tool refused with this code; returns the refusal for more checks. */
    public ToolException refused(String code) {
        ToolException e = refusal();
        assertThat(e.code()).as(tool + " " + args + " refusal code (message: " + e.getMessage() + ")").isEqualTo(code);
        return e;
    }

    /** The refusal; fails if the tool answered. */
    public ToolException refusal() {
        if (refusal == null) {
            throw new AssertionError(tool + " " + args + " should be refused but answered: " + result.text());
        }
        return refusal;
    }
}

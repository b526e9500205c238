package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Email over IMAP and SMTP for the account the operator configured, spoken by Angus Mail from inside the sandbox
 * and through its egress proxy. Tool names and shapes follow OpenClaw's himalaya skill, so scripts written against
 * one gateway work on another. Each call opens its own IMAP connection and closes it.
 */
public final class HimalayaSkill implements Skill {

    /** One tool body: the call's arguments and an open connection to the account. */
    interface MailTool {
        ToolResult call(JsonNode args, MailStore store, ToolContext ctx) throws ToolException;
    }

    private final Map<String, String> env;

    /** The skill as the tool server creates it: the proxy from this process's environment. */
    public HimalayaSkill() {
        this(System.getenv());
    }

    HimalayaSkill(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        Map<String, ToolHandler> tools = new LinkedHashMap<>();
        tools.put("folders", handler(Reading::folders));
        tools.put("list", handler(Reading::list));
        tools.put("read", handler(Reading::read));
        tools.put("send", handler(Sending::send));
        tools.put("reply", handler(Sending::reply));
        tools.put("forward", handler(Sending::forward));
        tools.put("reply_preview", handler(Sending::replyPreview));
        tools.put("forward_preview", handler(Sending::forwardPreview));
        tools.put("move", handler(Organising::move));
        tools.put("copy", handler(Organising::copy));
        tools.put("delete", handler(Organising::delete));
        tools.put("flag", handler(Organising::flag));
        tools.put("attachment_download", handler(Organising::attachmentDownload));
        return tools;
    }

    private ToolHandler handler(MailTool tool) {
        return (args, ctx) -> {
            MailAccount account = MailAccount.from(ctx);
            try (MailStore store = MailStore.open(account, env)) {
                return tool.call(args, store, ctx);
            } catch (RuntimeException e) {
                // A library fault on hostile input is a refusal of this call, never the end of the tool server.
                throw new ToolException("MAIL_ERROR", "the mail library failed: " + e.getClass().getSimpleName() + ": "
                        + account.scrub(Envelopes.safe(e.getMessage())));
            }
        };
    }
}

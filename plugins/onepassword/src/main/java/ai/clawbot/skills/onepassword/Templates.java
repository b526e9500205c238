package ai.clawbot.skills.onepassword;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import ai.clawbot.plugin.onepassword.SecretReference;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ op://… }}} templates: every placeholder is resolved before anything is written (one failure writes
 * nothing), and the output is a new file created owner-only (0600) in one step, never replacing an existing file.
 */
final class Templates {

    static final int MAX_TEMPLATE_BYTES = 1 << 20;
    static final int MAX_PLACEHOLDERS = 256;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(op://[^{}\\r\\n]*?)\\s*\\}\\}");

    record Filled(String output, int placeholders, int references) {
    }

    interface Parser {
        SecretReference parse(String text) throws ToolException;
    }

    interface Resolver {
        String resolve(SecretReference ref) throws ToolException;
    }

    private Templates() {
    }

    static Filled fill(ConfinedRoot ws, String template, String output, Parser parser, Resolver resolver) throws ToolException {
        Path out = ws.forWrite(output);
        Path in = ws.existing(template);
        if (Files.exists(out)) {
            throw new ToolException("EXISTS", "'" + output + "' exists; inject writes a new file and never replaces one");
        }
        String text;
        try {
            if (Files.size(in) > MAX_TEMPLATE_BYTES) {
                throw new ToolException("TOO_LARGE", "'" + template + "' is larger than " + MAX_TEMPLATE_BYTES + " bytes");
            }
            text = Files.readString(in, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException("UNREADABLE", "cannot read '" + template + "' as UTF-8 text");
        }
        Matcher m = PLACEHOLDER.matcher(text);
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder rendered = new StringBuilder();
        int count = 0;
        while (m.find()) {
            if (++count > MAX_PLACEHOLDERS) {
                throw new ToolException("TOO_MANY", "'" + template + "' has more than " + MAX_PLACEHOLDERS + " placeholders");
            }
            SecretReference ref = parser.parse(m.group(1));
            String value = values.get(ref.toString());
            if (value == null) {
                value = resolver.resolve(ref);
                values.put(ref.toString(), value);
            }
            m.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        m.appendTail(rendered);
        if (count == 0) {
            throw new ToolException("NO_PLACEHOLDERS", "'" + template + "' has no {{ op://… }} placeholder");
        }
        try {
            Files.createDirectories(out.getParent());
            try (OutputStream o = Channels.newOutputStream(Files.newByteChannel(out,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
                o.write(rendered.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (FileAlreadyExistsException e) {
            throw new ToolException("EXISTS", "'" + output + "' exists; inject writes a new file and never replaces one");
        } catch (IOException e) {
            throw new ToolException("UNWRITABLE", "cannot write '" + output + "'");
        }
        return new Filled(ws.relative(out), count, values.size());
    }
}

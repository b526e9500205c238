package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A {@link AgentEngine.RunStream} that records deltas, tool events and transcript entries; abortable. */
final class RecordingStream implements AgentEngine.RunStream {

    final List<String> deltas = new CopyOnWriteArrayList<>();
    final List<ObjectNode> toolEvents = new CopyOnWriteArrayList<>();
    final List<TranscriptEntry> records = new CopyOnWriteArrayList<>();
    final AtomicBoolean aborted = new AtomicBoolean();
    volatile Consumer<String> onDelta = d -> { };

    @Override
    public void assistantDelta(String text) {
        deltas.add(text);
        onDelta.accept(text);
    }

    @Override
    public boolean aborted() {
        return aborted.get();
    }

    @Override
    public void toolEvent(ObjectNode data) {
        toolEvents.add(data.deepCopy());
    }

    @Override
    public void record(TranscriptEntry entry) {
        records.add(entry);
    }

    String text() {
        return String.join("", deltas);
    }

    /** The tool events of one phase ({@code start}, {@code end}, {@code compaction}). */
    List<ObjectNode> events(String phase) {
        return toolEvents.stream().filter(e -> phase.equals(e.path("phase").asText())).toList();
    }

    /** The {@code toolResult} message entries, in order. */
    List<TranscriptEntry> toolResults() {
        return records.stream().filter(e -> "toolResult".equals(e.role())).toList();
    }
}

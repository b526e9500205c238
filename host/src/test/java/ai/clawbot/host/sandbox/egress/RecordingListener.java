package ai.clawbot.host.sandbox.egress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, in order. */
final class RecordingListener implements EgressListener {

    final List<EgressEvent> allowed = new CopyOnWriteArrayList<>();
    final List<EgressEvent> refused = new CopyOnWriteArrayList<>();

    @Override
    public void allowed(EgressEvent event) {
        allowed.add(event);
    }

    @Override
    public void refused(EgressEvent event) {
        refused.add(event);
    }
}

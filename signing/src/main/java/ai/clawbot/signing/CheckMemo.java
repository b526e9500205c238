package ai.clawbot.signing;

/**
 * Inputs that passed a pure check before (the host keeps them across starts, per build): a verifier may skip
 * repeating the check for the exact same bytes. Only passes are ever recorded.
 */
public interface CheckMemo {

    /** Remembers nothing: every check runs. */
    CheckMemo NONE = new CheckMemo() {
        @Override
        public boolean passed(String check, byte[] input) {
            return false;
        }

        @Override
        public void record(String check, byte[] input) {
        }
    };

    boolean passed(String check, byte[] input);

    void record(String check, byte[] input);
}

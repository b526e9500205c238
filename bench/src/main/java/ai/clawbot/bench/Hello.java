package ai.clawbot.bench;

/** The floor for any JVM start: a trivial main that prints and exits (same JDK, same default flags). */
public final class Hello {

    public static void main(String[] args) {
        System.out.println("hello");
    }
}

package ai.clawbot.host.doctor;

import java.util.List;

/** The JDK running {@code claw}: Helidon 4 needs 21 or later. */
record JdkCheck() implements DoctorCheck {

    static final int MINIMUM = 21;

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        Runtime.Version v = Runtime.version();
        String what = "Java " + v + " (" + System.getProperty("java.vendor", "?") + ", " + System.getProperty("java.home") + ")";
        return List.of(v.feature() >= MINIMUM ? DoctorResult.ok("jdk", what)
                : DoctorResult.fail("jdk", what + " is older than " + MINIMUM,
                        "install a JDK " + MINIMUM + "+ (apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to one"));
    }
}

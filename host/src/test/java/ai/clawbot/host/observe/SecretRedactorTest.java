package ai.clawbot.host.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    static final String TOKEN = "gw-Tok3n-7f3a9c0d2e41b5a6c8d9e0f1";

    private static SecretRedactor withToken() {
        SecretRedactor r = SecretRedactor.create();
        r.add(TOKEN);
        return r;
    }

    @Test
    void aTokenInAMessageAnExceptionMessageAndAUrlFragmentIsMasked() {
        SecretRedactor r = withToken();
        assertThat(r.redact("client sent " + TOKEN + " on connect")).isEqualTo("client sent *** on connect");
        assertThat(r.redact("Control UI: http://127.0.0.1:18789/#token=" + TOKEN))
                .isEqualTo("Control UI: http://127.0.0.1:18789/#token=***");
        assertThat(r.redact("http://127.0.0.1:18789/#token=" + TOKEN + "&x=1")).isEqualTo("http://127.0.0.1:18789/#token=***&x=1");

        // The exception message, through the console formatter wrapper.
        LogRecord rec = new LogRecord(Level.WARNING, "connect failed");
        rec.setThrown(new IllegalStateException("bad token " + TOKEN, new RuntimeException("cause " + TOKEN)));
        String line = RedactingFormatter.wrap(new SimpleFormatter(), r).format(rec);
        assertThat(line).contains("bad token ***").contains("cause ***").doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 10));
    }

    @Test
    void everyOccurrenceIsMaskedIncludingAdjacentAndRepeatedOnes() {
        SecretRedactor r = withToken();
        assertThat(r.redact(TOKEN + TOKEN + " and " + TOKEN + ".")).isEqualTo("*** and ***.");
        assertThat(r.redact(TOKEN)).isEqualTo("***");
    }

    @Test
    void overlappingSecretsAreMaskedWholeSoNoTailOfEitherLeaks() {
        SecretRedactor r = SecretRedactor.create();
        r.add("alpha-bravo-1");
        r.add("bravo-1-charlie-2");
        // Replacing one after the other would leave "-charlie-2" (or "alpha-") in clear.
        assertThat(r.redact("x alpha-bravo-1-charlie-2 y")).isEqualTo("x *** y");
    }

    @Test
    void shortAndNullSecretsAreIgnoredAndTheCleanPathReturnsTheSameString() {
        SecretRedactor r = SecretRedactor.create();
        r.add(null);
        r.add("1234567"); // 7 chars
        r.add("   ");
        assertThat(r.size()).isZero();
        String text = "port 1234567 open";
        assertThat(r.redact(text)).isSameAs(text);
        assertThat(r.redact(null)).isNull();

        r.add(TOKEN);
        String clean = "nothing secret in this line at all, just a long message";
        assertThat(r.redact(clean)).isSameAs(clean); // no copy on the path every log line takes
    }

    @Test
    void trimmedAndUrlEncodedFormsAreMaskedToo() {
        SecretRedactor r = SecretRedactor.create();
        r.add("vault-value-123\n");
        r.add("p@ss word/with+sym");
        assertThat(r.redact("value=vault-value-123;")).isEqualTo("value=***;");
        assertThat(r.redact("GET /x?pw=p%40ss+word%2Fwith%2Bsym")).isEqualTo("GET /x?pw=***");
        assertThat(r.redact("raw p@ss word/with+sym")).isEqualTo("raw ***");
    }

    @Test
    void cuttingBeforeRedactingStillMasksASecretAcrossTheCut() {
        SecretRedactor r = withToken();
        String text = "a".repeat(95) + TOKEN + " tail";
        String cut = r.redact(text, 100);
        assertThat(cut).isEqualTo("a".repeat(95) + "***");
        assertThat(cut).doesNotContain(TOKEN.substring(0, 5));
        assertThat(r.redact("short", 100)).isEqualTo("short");
        assertThat(r.redact("abcdef", 3)).isEqualTo("abc");
        assertThatThrownBy(() -> r.redact("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addingWhileOthersRedactIsSafeAndEverySecretAddedIsMaskedAfterwards() throws Exception {
        SecretRedactor r = SecretRedactor.create();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int base = t * 500;
            work.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    r.add("secret-value-" + (base + i));
                }
                return null;
            }));
            work.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    String out = r.redact("line " + i + " secret-value-7 end");
                    assertThat(out).startsWith("line ").endsWith(" end");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int i = 0; i < 1000; i++) {
            assertThat(r.redact("[secret-value-" + i + "]")).isEqualTo("[***]");
        }
    }
}

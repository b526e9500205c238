package ai.clawbot.skills.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTML to text: what is dropped, what becomes structure, and that hostile markup stays linear in time. */
class HtmlTextTest {

    @Test
    void dropsScriptsStylesCommentsAndTheHeadCaseInsensitively() {
        String html = "<HTML><HEAD><TITLE>t</TITLE><Script type=x>alert(1)</SCRIPT></HEAD><body>"
                + "a<!-- c -->b<style>p{}</style>c<noscript>enable js</noscript><svg><text>icon</text></svg>d</body></HTML>";
        assertThat(HtmlText.toText(html)).isEqualTo("a b c d");
    }

    @Test
    void blocksBecomeLinesListItemsDashesAndCellsSpaces() {
        String html = "<h2>Title</h2><p>one<br>two</p><ol><li>x</li><li>y</li></ol><table><tr><td>a</td><td>b</td></tr></table>";
        assertThat(HtmlText.toText(html)).isEqualTo("Title\n\none\ntwo\n\n- x\n- y\n\na b");
    }

    @Test
    void decodesNamedAndNumericEntitiesAndLeavesUnknownOnesAlone() {
        assertThat(HtmlText.decode("&lt;a&gt; &AMP; &#65;&#x42; &hellip; &bogus; &#0; &#xD800;"))
                .isEqualTo("<a> & AB … &bogus; \uFFFD \uFFFD");
        assertThat(HtmlText.toText("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"))
                .as("escaped markup is text, not a tag").isEqualTo("<script>alert(1)</script>");
    }

    @Test
    void titleIsTextEvenWhenUnclosedOrMissing() {
        assertThat(HtmlText.title("<title> A &amp; <b>B</b>\n</title>")).contains("A & B");
        assertThat(HtmlText.title("<title>open")).contains("open");
        assertThat(HtmlText.title("<p>none</p>")).isEmpty();
    }

    @Test
    void anUnclosedScriptDropsOnlyItsTag() {
        assertThat(HtmlText.toText("<p>before</p><script>tail text")).isEqualTo("before\ntail text");
    }

    @Test
    void findsAMetaCharset() {
        assertThat(HtmlText.declaredCharset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                .getBytes(StandardCharsets.US_ASCII))).contains(StandardCharsets.ISO_8859_1);
        assertThat(HtmlText.declaredCharset("<meta charset='no-such-charset'>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void pathologicalMarkupOfTwoMegabytesIsHandledQuickly() {
        for (String unit : new String[] {"<a", "<script", "<!--", "<title", "<p x='", "&#1"}) {
            String html = unit.repeat(2 * 1024 * 1024 / unit.length());
            long t0 = System.nanoTime();
            HtmlText.toText(html);
            HtmlText.title(html);
            assertThat((System.nanoTime() - t0) / 1_000_000).as(unit).isLessThan(3_000);
        }
    }
}

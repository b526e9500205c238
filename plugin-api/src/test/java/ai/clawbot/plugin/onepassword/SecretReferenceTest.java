package ai.clawbot.plugin.onepassword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecretReferenceTest {

    @Test
    void namesWithSpacesIdsSectionsAndAttributes() {
        SecretReference a = SecretReference.parse("op://Private/OpenAI/credential");
        assertThat(a).isEqualTo(new SecretReference("Private", "OpenAI", null, "credential", "value"));

        SecretReference b = SecretReference.parse("op://Shared Vault/My Bank Login/security questions/first pet");
        assertThat(b.vault()).isEqualTo("Shared Vault");
        assertThat(b.item()).isEqualTo("My Bank Login");
        assertThat(b.section()).isEqualTo("security questions");
        assertThat(b.field()).isEqualTo("first pet");
        assertThat(b.toString()).isEqualTo("op://Shared Vault/My Bank Login/security questions/first pet");

        SecretReference c = SecretReference.parse("op://abcdefghijklmnopqrstuvwxyz/0123456789abcdefghijklmnop/password");
        assertThat(SecretReference.isId(c.vault())).isTrue();
        assertThat(SecretReference.isId(c.item())).isTrue();
        assertThat(SecretReference.isId("Private")).isFalse();

        assertThat(SecretReference.parse("op://Private/GitHub/one-time password?attribute=otp").wantsOtp()).isTrue();
        assertThat(SecretReference.parse("op://Private/GitHub/one-time password?attribute=TOTP").attribute()).isEqualTo("otp");
        assertThat(SecretReference.parse("op://Private/GitHub/one-time password?attribute=otp").toString())
                .endsWith("?attribute=otp");
        assertThat(SecretReference.parse("  op://a.b/c_d/e-f  ").vault()).isEqualTo("a.b");
    }

    @Test
    void malformedReferencesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> SecretReference.parse("")).isInstanceOf(SecretReferenceException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> SecretReference.parse(null)).isInstanceOf(SecretReferenceException.class);
        assertThatThrownBy(() -> SecretReference.parse("vault/item/field")).hasMessageContaining("starts with op://");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/OpenAI")).hasMessageContaining("has 2 parts");
        assertThatThrownBy(() -> SecretReference.parse("op://a/b/c/d/e")).hasMessageContaining("has 5 parts");
        assertThatThrownBy(() -> SecretReference.parse("op://Private//credential")).hasMessageContaining("empty part");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/OpenAI/credential/")).hasMessageContaining("empty part");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/ OpenAI/credential")).hasMessageContaining("white space");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/Open\"AI/credential")).hasMessageContaining("by its id");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/Open\nAI/credential")).hasMessageContaining("control character");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/OpenAI/credential?attribute=colour"))
                .hasMessageContaining("unknown attribute 'colour'");
        assertThatThrownBy(() -> SecretReference.parse("op://Private/OpenAI/credential?format=x"))
                .hasMessageContaining("?attribute=");
        assertThatThrownBy(() -> SecretReference.parse("op://" + "a".repeat(2000) + "/b/c")).hasMessageContaining("longer than");
        // A non-reference is never quoted back: it may be a pasted secret.
        assertThatThrownBy(() -> SecretReference.parse("sk-live-123456")).hasMessageNotContaining("sk-live-123456");
    }

    @Test
    void totpFollowsRfc6238() {
        // RFC 6238 appendix B, SHA-1, the ASCII secret "12345678901234567890".
        String secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertThat(Totp.code("otpauth://totp/x?secret=" + secret + "&digits=8", Instant.ofEpochSecond(59))).isEqualTo("94287082");
        assertThat(Totp.code("otpauth://totp/x?secret=" + secret + "&digits=8", Instant.ofEpochSecond(1111111109))).isEqualTo("07081804");
        assertThat(Totp.code("otpauth://totp/x?secret=" + secret + "&digits=8", Instant.ofEpochSecond(20000000000L))).isEqualTo("65353130");
        assertThat(Totp.code(secret.toLowerCase(), Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThatThrownBy(() -> Totp.code("not base32!", Instant.EPOCH)).hasMessageContaining("not base32")
                .hasMessageNotContaining("not base32!");
        assertThatThrownBy(() -> Totp.code("otpauth://totp/x?digits=6", Instant.EPOCH)).hasMessageContaining("no secret");
    }
}

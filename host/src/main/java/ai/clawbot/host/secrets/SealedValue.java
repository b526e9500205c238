package ai.clawbot.host.secrets;

/**
 * One secret as stored: the GCM nonce and the ciphertext with its 16-byte tag. Neither is secret, but
 * {@link #toString()} still prints sizes only, so a stray log line never grows a copy of the vault.
 */
record SealedValue(byte[] nonce, byte[] ciphertext) {

    SealedValue {
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "SealedValue[" + ciphertext.length + " bytes]";
    }
}

package ai.clawbot.host.gateway.auth;

/**
 * The {@code connect.params.client} fields a device signature binds: {@code id} and {@code mode} (v2 and v3),
 * {@code platform} and {@code deviceFamily} (v3 only). {@code null} platform or family is treated as absent
 * (signed as the empty string), as OpenClaw does.
 */
public record ClientInfo(String id, String mode, String platform, String deviceFamily) {
}

-- Run events (chat, agent) of every gateway, for pg_notify fan-out and catch-up after a lost LISTEN connection.
CREATE TABLE events (
    id          BIGSERIAL PRIMARY KEY,
    origin      TEXT   NOT NULL, -- the gateway that published it (it delivers its own events locally)
    event       TEXT   NOT NULL,
    payload     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

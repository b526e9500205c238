-- The idempotency ledger: one row per idempotencyKey across every gateway (claimed with INSERT ... ON CONFLICT).
CREATE TABLE idempotency (
    idem_key       TEXT   PRIMARY KEY,
    digest         TEXT   NOT NULL, -- sha-256 of agent, session and message: a reused key with another message is refused
    run_id         TEXT   NOT NULL,
    agent_id       TEXT   NOT NULL,
    session_key    TEXT   NOT NULL,
    owner          INT    NOT NULL, -- the claiming gateway; alive while it holds advisory lock (owner class, owner)
    user_entry_id  TEXT,
    status         TEXT,            -- null while in flight
    created_at     BIGINT NOT NULL
);

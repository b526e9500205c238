-- Sessions and transcripts, as the file store keeps them in sessions.json and <sessionId>.jsonl.
CREATE TABLE sessions (
    agent_id     TEXT   NOT NULL,
    session_key  TEXT   NOT NULL,
    session_id   TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL, -- epoch milliseconds, as in sessions.json
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (agent_id, session_key)
);

-- One row per transcript line; seq orders a session's lines (appends hold the session row's lock).
CREATE TABLE transcript_entries (
    session_id  TEXT   NOT NULL,
    seq         BIGINT NOT NULL,
    entry_id    TEXT   NOT NULL,
    line        TEXT   NOT NULL, -- the JSON line exactly as the file store writes it
    PRIMARY KEY (session_id, seq)
);

-- Sessions a reset or delete replaced; their transcript lines are kept, as the file store keeps .reset/.deleted files.
CREATE TABLE archived_sessions (
    session_id   TEXT   PRIMARY KEY,
    agent_id     TEXT   NOT NULL,
    session_key  TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    archived_at  BIGINT NOT NULL
);

-- The session layer of the policy chain (sessions.patch), shared: a restriction set through one gateway holds on all.
CREATE TABLE session_policies (
    session_key  TEXT PRIMARY KEY,
    policy       TEXT NOT NULL -- JSON, validated before it is written
);

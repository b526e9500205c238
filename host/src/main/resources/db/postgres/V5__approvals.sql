-- Approvals raised on any gateway; the first decision (from any gateway) wins, the raising gateway applies it.
CREATE TABLE approvals (
    id           TEXT   PRIMARY KEY,
    request      TEXT   NOT NULL, -- as approval.requested carries it
    decision     TEXT,            -- null while pending
    decided_by   TEXT,
    created_at   BIGINT NOT NULL,
    resolved_at  BIGINT
);

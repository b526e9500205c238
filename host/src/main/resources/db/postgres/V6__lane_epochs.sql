-- Fencing tokens for session lanes: taking a session's lane increments its epoch; every append of the run that
-- took it is conditional on the epoch still being current, so a gateway that lost its lane (its lane connection
-- died while its process lives) cannot write after the next owner took over.
CREATE TABLE session_lanes (
    agent_id     TEXT   NOT NULL,
    session_key  TEXT   NOT NULL,
    lane_epoch   BIGINT NOT NULL,
    PRIMARY KEY (agent_id, session_key)
);

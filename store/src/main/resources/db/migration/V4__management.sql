-- Management: project tokens with scopes, and daily usage counters per number.

-- A project's tokens: several per project, each with a name and its scopes (a comma-separated subset of
-- send,read,admin). Only the SHA-256 of a token is kept; the token itself is shown once, when it is made.
-- last_used_at is written at most once a minute per token and node, so it is precise to about a minute.
CREATE TABLE api_tokens (
    id           VARCHAR(32)  PRIMARY KEY,
    project_id   VARCHAR(32)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    scopes       VARCHAR(32)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_project ON api_tokens (project_id, id);

-- Each project's existing token becomes its first token, with every scope, under the project's id (ids come from
-- one generator, so it cannot collide with a later token's). projects.token_hash is no longer read: it cannot be
-- dropped on SQLite (a UNIQUE column), so it is overwritten with the project's id, and new projects write their id.
INSERT INTO api_tokens (id, project_id, name, token_hash, scopes, created_at)
    SELECT id, id, 'first', token_hash, 'send,read,admin', created_at FROM projects;
UPDATE projects SET token_hash = id;

-- Daily usage per number, by UTC day (days since 1970-01-01): messages that reached the network (sent), incoming
-- messages stored (received), and delivered and read reports that moved a message forward. Added to in the same
-- group commit as the change it counts, so a crash can lose neither without the other. Each writer adds to a slot
-- of its own (0-63, picked at random when it starts), so the nodes of a cluster do not wait for each other's commit
-- on one hot row; a day's count is the sum of its slots. A number belongs to one project for good; if numbers are
-- ever released, their rows here must go with them.
CREATE TABLE usage_daily (
    number          VARCHAR(20) NOT NULL,
    utc_day         INT         NOT NULL,
    slot            INT         NOT NULL,
    sent_count      BIGINT      NOT NULL,
    received_count  BIGINT      NOT NULL,
    delivered_count BIGINT      NOT NULL,
    read_count      BIGINT      NOT NULL,
    PRIMARY KEY (number, utc_day, slot)
);

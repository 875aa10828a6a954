-- Retention: old messages and what hangs off them are deleted by a sweeper, a small batch at a time; numbers and
-- projects can be deleted.

-- How many days the project keeps its messages; NULL: the node's retention.days.
ALTER TABLE projects ADD COLUMN retention_days INT;

-- The sweeper takes a number's messages older than its cutoff a batch at a time, each one range of the index
-- messages_history_number (number, created_at, id) that V18 adds for the history.

-- A deleted number ('n', name: the number) or project ('p', name: its id): gone from the lists at once (its row in
-- numbers or projects is deleted with its tokens and settings), its messages, contacts, groups, media and usage
-- removed by the sweeper, which then deletes this row. While it is here the number cannot be added again, so a new
-- owner never sees the old one's data, nor has its own swept with it.
CREATE TABLE tombstones (
    kind       CHAR(1)     NOT NULL,
    name       VARCHAR(32) NOT NULL,
    project_id VARCHAR(32) NOT NULL,
    deleted_at BIGINT      NOT NULL,
    PRIMARY KEY (kind, name)
);

-- Who sweeps: one node of a cluster at a time, while its lease (the database's clock, epoch ms) has not expired.
CREATE TABLE sweep_leases (
    name       VARCHAR(32) PRIMARY KEY,
    owner      VARCHAR(64),
    expires_at BIGINT      NOT NULL
);
INSERT INTO sweep_leases (name, owner, expires_at) VALUES ('retention', NULL, 0);

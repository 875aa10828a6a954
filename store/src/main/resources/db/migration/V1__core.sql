-- One schema for every store: the embedded one, PostgreSQL and MariaDB/MySQL.
-- Ids are 64-bit time-ordered numbers made by the node, so no auto-increment is needed anywhere.
-- Booleans are INT 0/1 and times are epoch milliseconds, which every dialect spells the same way.

CREATE TABLE settings (
    name VARCHAR(64) PRIMARY KEY,
    val  VARCHAR(512) NOT NULL
);

CREATE TABLE projects (
    id                VARCHAR(32)   PRIMARY KEY,
    name              VARCHAR(200)  NOT NULL,
    token_hash        VARCHAR(64)   NOT NULL UNIQUE,
    webhook_url       VARCHAR(2048),
    event_webhook_url VARCHAR(2048),
    events_enabled    INT           NOT NULL,
    created_at        BIGINT        NOT NULL
);

CREATE TABLE numbers (
    number           VARCHAR(20)  PRIMARY KEY,
    project_id       VARCHAR(32)  NOT NULL,
    tps              INT          NOT NULL,
    shards           INT          NOT NULL,
    delivery_reports INT          NOT NULL,
    data_key         ${blob}      NOT NULL,
    created_at       BIGINT       NOT NULL
);
CREATE INDEX numbers_project ON numbers (project_id);

-- Messages both ways. direction: 'o' outgoing, 'i' incoming. status_rank: 0 queued/received, 1 sent,
-- 2 delivered, 3 read, 4 failed (final). body: the message content, AES-GCM under the number's data key.
-- hook_state: 1 while the incoming message still waits for the customer's Webhook to take it.
CREATE TABLE messages (
    id           BIGINT       PRIMARY KEY,
    project_id   VARCHAR(32)  NOT NULL,
    number       VARCHAR(20)  NOT NULL,
    direction    CHAR(1)      NOT NULL,
    peer         VARCHAR(20)  NOT NULL,
    shard        INT          NOT NULL,
    priority     INT          NOT NULL,
    type         VARCHAR(20)  NOT NULL,
    body         ${blob}      NOT NULL,
    status_rank  INT          NOT NULL,
    network_id   VARCHAR(64),
    error        VARCHAR(200),
    hook_state   INT          NOT NULL,
    created_at   BIGINT       NOT NULL,
    sent_at      BIGINT,
    delivered_at BIGINT,
    read_at      BIGINT,
    failed_at    BIGINT
);
CREATE UNIQUE INDEX messages_network_id ON messages (network_id);
CREATE INDEX messages_backlog ON messages (number, status_rank);
CREATE INDEX messages_hooks ON messages (hook_state);

-- Status changes waiting for the Event Webhook; a row is deleted once the customer's server took it.
CREATE TABLE events (
    id         BIGINT       PRIMARY KEY,
    project_id VARCHAR(32)  NOT NULL,
    message_id BIGINT       NOT NULL,
    number     VARCHAR(20)  NOT NULL,
    peer       VARCHAR(20)  NOT NULL,
    status     VARCHAR(12)  NOT NULL,
    error      VARCHAR(200),
    occurred_at BIGINT      NOT NULL
);
CREATE INDEX events_project ON events (project_id);

-- Every message kind, schedules, expiry, cancellation, and idempotent sends.

-- reply_to: the id of the message an outgoing one replies to (the Cloud API's context.message_id), or NULL.
-- not_before: the time a scheduled message may go out; expires_at: after it the message is not sent but expired.
-- status_rank gains 5 expired and 6 cancelled, final like 4 failed; each final status keeps its own time.
-- Times are epoch milliseconds, NULL when not set.
ALTER TABLE messages ADD COLUMN reply_to VARCHAR(128);
ALTER TABLE messages ADD COLUMN not_before BIGINT;
ALTER TABLE messages ADD COLUMN expires_at BIGINT;
ALTER TABLE messages ADD COLUMN expired_at BIGINT;
ALTER TABLE messages ADD COLUMN cancelled_at BIGINT;

-- A send made with an Idempotency-Key (or client_ref), per project: the hash of the request and the answer given,
-- stored in the same commit as the messages it queued, so a retry gets that answer instead of queuing again.
-- Keys are kept 24 hours (created_at), then forgotten.
CREATE TABLE idempotency_keys (
    project_id   VARCHAR(32)   NOT NULL,
    idem_key     VARCHAR(255)  NOT NULL,
    request_hash VARCHAR(64)   NOT NULL,
    status       INT           NOT NULL,
    answer       ${blob}       NOT NULL,
    created_at   BIGINT        NOT NULL,
    PRIMARY KEY (project_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

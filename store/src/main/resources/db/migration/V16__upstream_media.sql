-- Media uploaded to Meta's Cloud API: a file of ours sent from a number on Meta is uploaded there once, and sent by
-- the id Meta gave it while that id lasts (Meta keeps an upload 30 days). Deleted with the file.
CREATE TABLE upstream_media (
    media_id    BIGINT       NOT NULL,
    number      VARCHAR(20)  NOT NULL,
    meta_id     VARCHAR(128) NOT NULL,
    uploaded_at BIGINT       NOT NULL,
    PRIMARY KEY (media_id, number)
);

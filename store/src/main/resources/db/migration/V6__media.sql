-- Media: files uploaded with POST /v1/media or fetched from a message's link, kept for 30 days as WhatsApp keeps
-- uploaded media, then swept. The bytes live in the database, not on a node's disk, so every node of a cluster
-- reads them; they are cut into chunks of 1 MiB (MariaDB's max_allowed_packet is 16 MiB by default), each sealed
-- with AES-GCM under the data key of the business number the media is for, bound to the media id and the chunk's
-- place, so a chunk moved to another media or another place does not open.
CREATE TABLE media (
    id          BIGINT        PRIMARY KEY,
    project_id  VARCHAR(32)   NOT NULL,
    number      VARCHAR(20)   NOT NULL,
    mime_type   VARCHAR(100)  NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    filename    VARCHAR(240),
    chunks      INT           NOT NULL,
    created_at  BIGINT        NOT NULL,
    expires_at  BIGINT        NOT NULL
);
CREATE INDEX media_expires ON media (expires_at);

CREATE TABLE media_chunks (
    media_id  BIGINT   NOT NULL,
    seq       INT      NOT NULL,
    data      ${blob}  NOT NULL,
    PRIMARY KEY (media_id, seq)
);

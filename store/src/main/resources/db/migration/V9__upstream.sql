-- Upstreams: a number connected to Meta's Cloud API instead of the simulated network. The access token and the app
-- secret are sealed under the master key (each bound to the number); the webhook verify token is only ever compared,
-- so only its SHA-256 is kept. phone_number_id is unique: Meta's webhooks name the number by it.
CREATE TABLE number_upstreams (
    number            VARCHAR(20)   PRIMARY KEY,
    project_id        VARCHAR(32)   NOT NULL,
    kind              VARCHAR(16)   NOT NULL,
    base_url          VARCHAR(2048) NOT NULL,
    api_version       VARCHAR(16)   NOT NULL,
    phone_number_id   VARCHAR(32)   NOT NULL UNIQUE,
    access_token      ${blob}       NOT NULL,
    app_secret        ${blob}       NOT NULL,
    verify_token_hash VARCHAR(64)   NOT NULL,
    created_at        BIGINT        NOT NULL
);
CREATE INDEX number_upstreams_verify ON number_upstreams (verify_token_hash);

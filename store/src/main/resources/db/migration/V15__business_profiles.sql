-- Business profiles: what the Cloud API's whatsapp_business_profile route reads and updates for a number on the
-- simulated network (a number on Meta's Cloud API keeps its profile at Meta). Sizes are Meta's limits; an empty
-- text is a field not set. websites: up to two URLs, one a line. picture_media_id: the uploaded image shown as the
-- profile picture, 0 for none.
CREATE TABLE business_profiles (
    number           VARCHAR(20)  PRIMARY KEY,
    project_id       VARCHAR(32)  NOT NULL,
    about            VARCHAR(139) NOT NULL,
    address          VARCHAR(256) NOT NULL,
    description      VARCHAR(512) NOT NULL,
    email            VARCHAR(128) NOT NULL,
    websites         VARCHAR(600) NOT NULL,
    vertical         VARCHAR(32)  NOT NULL,
    picture_media_id BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);

-- Message templates of the projects whose numbers are on the simulated network: what the Cloud API's
-- message_templates route keeps and lists, and what a template send is checked against (templates of a number on
-- Meta's Cloud API live at Meta). components: the template's components as Meta's creation call takes them (JSON).
-- A name is unique per project and language, as at Meta.
CREATE TABLE message_templates (
    id         BIGINT       PRIMARY KEY,
    project_id VARCHAR(32)  NOT NULL,
    name       VARCHAR(512) NOT NULL,
    language   VARCHAR(16)  NOT NULL,
    category   VARCHAR(16)  NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    components TEXT         NOT NULL,
    created_at BIGINT       NOT NULL,
    UNIQUE (project_id, name, language)
);

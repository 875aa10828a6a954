-- Webhook delivery that gives up only after its retry window, and projects that choose how they are called.

-- messages.hook_state: 0 taken (or no Webhook), 1 waiting for the Webhook, 2 dead letter (given up; replayable).
ALTER TABLE messages ADD COLUMN hook_error VARCHAR(200);
ALTER TABLE messages ADD COLUMN hook_failed_at BIGINT;

-- events.state: 1 waiting for the Event Webhook, 2 dead letter. A taken event is deleted, as before.
ALTER TABLE events ADD COLUMN state INT NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN failure VARCHAR(200);
ALTER TABLE events ADD COLUMN failed_at BIGINT;
CREATE INDEX events_state ON events (state, project_id);

-- webhook_format: 'native' or 'cloud'. webhook_concurrency and webhook_rate: 0 means the node's default and no cap.
-- Signing secrets are sealed under the master key; the previous one stays valid until webhook_previous_until.
ALTER TABLE projects ADD COLUMN webhook_format VARCHAR(10) NOT NULL DEFAULT 'native';
ALTER TABLE projects ADD COLUMN webhook_concurrency INT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN webhook_rate INT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN webhook_secret ${blob};
ALTER TABLE projects ADD COLUMN webhook_previous_secret ${blob};
ALTER TABLE projects ADD COLUMN webhook_previous_until BIGINT;

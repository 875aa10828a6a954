-- The dispatcher keeps a bounded window of owed calls in memory and reads the rest back from the store a page at a
-- time, per (number, shard), in id order: these indexes make each page one range read, however long the backlog.
-- hook_state leads because almost every message is at 0 (taken): the owed ones are a small range of the index.
CREATE INDEX messages_hooks_owed ON messages (hook_state, number, shard, id);
DROP INDEX messages_hooks${on_messages};
CREATE INDEX events_owed ON events (state, number, id);

-- A replay gives revived dead letters a new retry window, from the replay's time: without it a call whose message is
-- older than the window would be given up again at once. NULL: the window runs from the message or event itself.
ALTER TABLE messages ADD COLUMN hook_retry_from BIGINT;
ALTER TABLE events ADD COLUMN retry_from BIGINT;

-- When a project's settings or signing secret last changed, by the database's clock: the nodes of a cluster read
-- what changed since they last looked every round, so a change made through one node is used by all of them.
ALTER TABLE projects ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX projects_changed ON projects (changed_at);

-- What a project's stored media take, for its quota: one range of this index.
CREATE INDEX media_project ON media (project_id, expires_at);

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

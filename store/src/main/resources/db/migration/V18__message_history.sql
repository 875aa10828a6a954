-- A project's message history, newest first, a page at a time (GET /v1/messages and its export): each page is one
-- range read of one of these indexes, read backwards from the cursor (created_at, id), however many messages the
-- project has. The project's whole history, or within a time window (since/until bound created_at); one number's
-- (a number belongs to one project); one user's across the project's numbers. Direction and status are checked on
-- the rows the range gives.
CREATE INDEX messages_history ON messages (project_id, created_at, id);
CREATE INDEX messages_history_number ON messages (number, created_at, id);
CREATE INDEX messages_history_peer ON messages (project_id, peer, created_at, id);

-- The WhatsApp Business Account at Meta a connected number belongs to: where its project's message templates live
-- (the Cloud API's /{waba_id}/message_templates is passed on there). '' when not given.
ALTER TABLE number_upstreams ADD COLUMN waba_id VARCHAR(32) NOT NULL DEFAULT '';

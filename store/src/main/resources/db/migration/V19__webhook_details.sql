-- Webhooks that carry what WhatsApp told.

-- origin: what the network said about an incoming message besides its content, as one JSON object: the sender's
-- profile name ("name"), the message the user replied to ("context": {"from","id"}, the id ours when we know that
-- message, else the network's), and the ad the user came from ("referral", Meta's object as sent). It is the user's
-- data, so it is sealed with the number's data key like the body; NULL when there is none (and for outgoing messages).
ALTER TABLE messages ADD COLUMN origin ${blob};

-- details: what the network told with a status besides it, as the JSON object of Meta's status webhook ("errors"
-- with code, title, message and error_data; "conversation"; "pricing"); NULL when nothing. Billing and error
-- metadata, no user content: kept as text.
ALTER TABLE events ADD COLUMN details TEXT;

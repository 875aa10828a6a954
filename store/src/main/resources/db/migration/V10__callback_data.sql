-- callback: a value the customer gave with an outgoing message, echoed in that message's status events (the Cloud
-- API's biz_opaque_callback_data, at most 512 characters; a Push API send's push_id). It is the customer's data, so
-- it is sealed with the number's data key like the body (bound to the message id); NULL when none was given.
ALTER TABLE messages ADD COLUMN callback ${blob};

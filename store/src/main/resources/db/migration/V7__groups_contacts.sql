-- Groups and contacts.

-- The node's copy of each group a project's number owns, as the network last answered it (the network keeps the
-- membership; this copy answers GET and lists). members and admins: user numbers, one a line, in joining order.
-- invite: the invite link, NULL when there is none. ("groups" is a reserved word in MySQL 8.)
CREATE TABLE chat_groups (
    project_id  VARCHAR(32)  NOT NULL,
    group_id    VARCHAR(20)  NOT NULL,
    number      VARCHAR(20)  NOT NULL,
    subject     VARCHAR(512) NOT NULL,
    description TEXT         NOT NULL,
    members     TEXT         NOT NULL,
    admins      TEXT         NOT NULL,
    invite      VARCHAR(100),
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (project_id, group_id)
);

-- Each member's report on a message sent to a group, its status_rank as in messages (2 delivered, 3 read,
-- 4 failed): a report is applied, and its event made, only when it moves that member forward, so a report the
-- network hands over again after a reconnect makes no second event.
CREATE TABLE group_receipts (
    message_id  BIGINT       NOT NULL,
    member      VARCHAR(20)  NOT NULL,
    status_rank INT          NOT NULL,
    PRIMARY KEY (message_id, member)
);

-- The users each number heard from: the profile name of their last message (sealed under the number's data key,
-- bound to the user's number) and when that message was sent. Upserted in the commit that stores the message.
CREATE TABLE contacts (
    number       VARCHAR(20)  NOT NULL,
    user_number  VARCHAR(20)  NOT NULL,
    project_id   VARCHAR(32)  NOT NULL,
    profile_name ${blob},
    last_seen    BIGINT       NOT NULL,
    PRIMARY KEY (number, user_number)
);

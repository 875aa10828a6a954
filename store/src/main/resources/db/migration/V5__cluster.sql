-- Many nodes on one PostgreSQL or MariaDB database. Times are the database server's clock, in epoch ms.

-- Every node that runs, or ran: its heartbeat says whether it is alive.
CREATE TABLE cluster_nodes (
    id           VARCHAR(32)  PRIMARY KEY,
    address      VARCHAR(200) NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL
);

-- Who may send for a (number, shard): the owner while its lease has not expired. epoch grows with every new owner
-- and is the fencing token the network checks at login, so an owner that lost its lease can never send again.
CREATE TABLE shard_leases (
    number     VARCHAR(20) NOT NULL,
    shard      INT         NOT NULL,
    owner      VARCHAR(32),
    epoch      BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    PRIMARY KEY (number, shard)
);

-- Outgoing messages accepted by one node for a shard that another node sends: the owner takes them from here.
CREATE TABLE handoffs (
    message_id BIGINT      PRIMARY KEY,
    number     VARCHAR(20) NOT NULL,
    shard      INT         NOT NULL,
    priority   INT         NOT NULL
);
CREATE INDEX handoffs_shard ON handoffs (number, shard);

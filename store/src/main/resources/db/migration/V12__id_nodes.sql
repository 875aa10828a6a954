-- The node bits of every id (TSID, 10 bits: 1,024 slots), held by one running node each, so no two nodes ever make
-- ids with the same node bits. expires_at is the database server's clock, in epoch ms: the holder renews the slot
-- before then, else any node may take it over. ids_until is the holder's own clock, in epoch ms: no id it made or
-- may still make is later, so a node that takes the slot makes ids only once its clock is past it. It never goes down.
CREATE TABLE id_slots (
    slot       INT         PRIMARY KEY,
    holder     VARCHAR(64),
    expires_at BIGINT      NOT NULL,
    ids_until  BIGINT      NOT NULL
);

-- 0 to 1023, as 32 x 32 (MariaDB stops a recursion at 1,000 rows).
INSERT INTO id_slots (slot, holder, expires_at, ids_until)
WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 31)
SELECT high.i * 32 + low.i, NULL, 0, 0 FROM n high CROSS JOIN n low;

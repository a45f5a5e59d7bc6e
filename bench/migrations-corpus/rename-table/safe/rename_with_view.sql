-- case: compatibility view (Atlas BC101 exemption)
SET lock_timeout = '2s';
BEGIN;
ALTER TABLE orders RENAME TO purchases;
CREATE VIEW orders AS SELECT * FROM purchases;
COMMIT;

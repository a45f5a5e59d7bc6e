-- case: row locks only
SET lock_timeout = '2s';
UPDATE orders SET note = 'x' WHERE id = 1;

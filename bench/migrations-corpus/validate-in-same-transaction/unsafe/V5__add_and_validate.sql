-- case: Flyway file = one transaction (squawk sees it only with BEGIN)
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT positive;

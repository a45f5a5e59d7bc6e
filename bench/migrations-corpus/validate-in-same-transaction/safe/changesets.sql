--liquibase formatted sql
-- case: separate changesets commit separately
--changeset a:1
ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;
--changeset a:2
ALTER TABLE orders VALIDATE CONSTRAINT positive;

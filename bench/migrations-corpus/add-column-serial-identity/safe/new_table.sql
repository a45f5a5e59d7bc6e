-- case: table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE tags (id bigint);
ALTER TABLE tags ADD COLUMN seq bigserial;

-- case: table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE staging (id bigint);
TRUNCATE staging;

-- case: a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE tmp_import (id bigint);
DROP TABLE tmp_import;

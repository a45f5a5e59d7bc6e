-- case: view created in the same migration
SET lock_timeout = '2s';
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
REFRESH MATERIALIZED VIEW mv;

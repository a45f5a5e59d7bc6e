SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;

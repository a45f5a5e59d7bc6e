SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW order_totals;

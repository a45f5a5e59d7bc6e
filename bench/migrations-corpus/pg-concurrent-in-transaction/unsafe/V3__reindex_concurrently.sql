-- case: Flyway wraps REINDEX CONCURRENTLY in its transaction
SET lock_timeout = '2s';
REINDEX INDEX CONCURRENTLY idx_orders_user;

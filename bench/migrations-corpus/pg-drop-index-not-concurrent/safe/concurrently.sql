SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user;

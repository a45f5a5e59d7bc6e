-- case: MySQL
SET SESSION lock_wait_timeout = 5;
LOCK TABLES orders WRITE;

--liquibase formatted sql
-- case: runInTransaction:false
--changeset alice:2 runInTransaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);

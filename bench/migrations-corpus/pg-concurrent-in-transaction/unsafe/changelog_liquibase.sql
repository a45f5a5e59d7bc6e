--liquibase formatted sql
-- case: Liquibase changeset without runInTransaction:false
--changeset alice:2
CREATE INDEX CONCURRENTLY idx_users_email ON users (email);

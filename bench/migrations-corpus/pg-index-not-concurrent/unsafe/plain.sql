-- case: plain CREATE INDEX
SET lock_timeout = '2s';
CREATE INDEX idx_users_email ON users (email);

-- case: warning
SET lock_timeout = '2s';
CREATE TRIGGER audit_users AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();

-- case: table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE notes (id bigint);
CREATE TRIGGER audit_notes AFTER UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION audit();

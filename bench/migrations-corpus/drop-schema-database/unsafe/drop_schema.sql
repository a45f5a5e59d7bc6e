SET lock_timeout = '2s';
DROP SCHEMA reporting CASCADE;

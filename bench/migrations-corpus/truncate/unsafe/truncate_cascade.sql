SET lock_timeout = '2s';
TRUNCATE users CASCADE;

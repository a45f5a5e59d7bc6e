-- case: MySQL lock_wait_timeout
ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=INSTANT;

SET lock_timeout = '2s';
ALTER TYPE mood ADD VALUE 'happy';
UPDATE users SET mood = 'happy' WHERE id = 1;

SET lock_timeout = '2s';
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';

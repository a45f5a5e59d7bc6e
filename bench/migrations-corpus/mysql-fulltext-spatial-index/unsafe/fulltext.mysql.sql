SET SESSION lock_wait_timeout = 5;
CREATE FULLTEXT INDEX ft_name ON users (name);

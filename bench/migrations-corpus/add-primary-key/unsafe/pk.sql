SET lock_timeout = '2s';
ALTER TABLE orders ADD PRIMARY KEY (id);

-- case: names unchanged
SET lock_timeout = '2s';
ALTER SCHEMA reporting OWNER TO analyst;

SET lock_timeout = '2s';
CREATE SCHEMA IF NOT EXISTS reporting;

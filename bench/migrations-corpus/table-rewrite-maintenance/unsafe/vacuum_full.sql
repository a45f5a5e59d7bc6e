-- case: squawk prefer-repack fires only with --pg-version >= 19
SET lock_timeout = '2s';
VACUUM FULL users;

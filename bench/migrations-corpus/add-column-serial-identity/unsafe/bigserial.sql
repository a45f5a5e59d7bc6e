-- case: squawk only fires its style rule prefer-identity
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN seq bigserial;

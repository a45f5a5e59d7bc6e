-- case: table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE bookings2 (room int, during tstzrange);
ALTER TABLE bookings2 ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);

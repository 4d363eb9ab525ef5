-- The time zone a person chose for the moments their pages show, sealed
-- with their data key (context `time-zone:{user}`, padded to one length):
-- a zone says roughly where someone lives, which a person who has moved
-- away from a partner may need kept from anyone holding the file. NULL
-- until chosen, which shows moments in UTC. `users` holds no sealed column
-- before this one, so adding it here touches nothing `Store::assemble` seals.
ALTER TABLE users ADD COLUMN time_zone_sealed BLOB;

-- Runs once, on an empty data directory, in every PostgreSQL shard (docker-entrypoint-initdb.d).
-- Each sharded service owns one database on every physical shard; Flyway creates the tables.
CREATE DATABASE users;
CREATE DATABASE tweets;

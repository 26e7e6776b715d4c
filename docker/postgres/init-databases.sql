-- Runs once, when the PostgreSQL volume is first initialised: the container already created `temporal`
-- (POSTGRES_DB); Temporal's visibility store needs a second database.
CREATE DATABASE temporal_visibility;

#!/usr/bin/env bash
# PostgreSQL's image runs this once, on an empty data directory: one database, and one schema and login role per
# service, as deploy/local/cdp's DatabaseSetup makes them (decision: each service writes only its own schema;
# segment-service reads profile's read-model views through cdp_profile_reader). The services migrate their own
# schemas with Flyway when they start.
set -euo pipefail
password=${CDP_DB_PASSWORD:?set CDP_DB_PASSWORD}
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$password" << 'SQL'
CREATE ROLE cdp_profile_reader NOLOGIN;
CREATE ROLE cdp_ingestion LOGIN PASSWORD :'password';
CREATE ROLE cdp_profile LOGIN PASSWORD :'password';
CREATE ROLE cdp_segment LOGIN PASSWORD :'password';
CREATE ROLE cdp_export LOGIN PASSWORD :'password';
GRANT cdp_profile_reader TO cdp_segment;
CREATE SCHEMA ingestion AUTHORIZATION cdp_ingestion;
CREATE SCHEMA profile AUTHORIZATION cdp_profile;
CREATE SCHEMA segment AUTHORIZATION cdp_segment;
CREATE SCHEMA export AUTHORIZATION cdp_export;
REVOKE ALL ON SCHEMA ingestion, profile, segment, export FROM PUBLIC;
GRANT USAGE ON SCHEMA profile TO cdp_profile_reader;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "GRANT CONNECT ON DATABASE \"$POSTGRES_DB\" TO cdp_ingestion, cdp_profile, cdp_segment, cdp_export"

#!/usr/bin/env bash
# export-service on this machine: CUSTOMERS customers (all with advertising consent, each with email, phone, first and
# last name, city and country) generated in SQL straight into the profile schema (bench/export-data.sql), one segment
# holding all of them, evaluated by segment-service; then, through the API, one export of the segment to a Meta file
# (the six identifiers normalized and SHA-256-hashed) by export-service running with a 256 MB heap. Prints
#  - the export's rows/s (members streamed from segment-service, normalized, hashed, written, as the job times it),
#  - the ratio to a bare loop that only SHA-256-hashes the same six normalized strings per row (bench/HashLoop.java),
#  - the service's largest heap in use during the export, sampled from its metrics.
# Usage: bench/export.sh [CUSTOMERS, default 1000000]
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests. Ports 28183, 28184, 29292-29293.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
CUSTOMERS=${1:-1000000}
WORK=$(mktemp -d /tmp/cdp-exportbench.XXXXXX)
SEGMENT_PORT=28183
EXPORT_PORT=28184
KAFKA_PORT=29292
DATABASE=cdp_exportbench
SEGMENTS=http://127.0.0.1:$SEGMENT_PORT
EXPORTS=http://127.0.0.1:$EXPORT_PORT
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

heap_used() { curl -fsS "$EXPORTS/q/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { sum += $NF } END { printf "%d\n", sum }'; }

require_free_ports $SEGMENT_PORT $EXPORT_PORT $KAFKA_PORT $((KAFKA_PORT + 1))
build_if_needed segment-service
build_if_needed export-service
start_kafka $KAFKA_PORT 3

create_profile_database
say "generating $CUSTOMERS customers (SQL)"
psql -h 127.0.0.1 -U cdp_profile -d $DATABASE -v ON_ERROR_STOP=1 -q -v customers="$CUSTOMERS" -f "$ROOT/bench/export-data.sql" > /dev/null

say "starting segment-service on :$SEGMENT_PORT and export-service on :$EXPORT_PORT (heap 256 MB)"
KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" QUARKUS_HTTP_PORT=$SEGMENT_PORT \
  CDP_SEGMENT_REFRESH_CRON=off java -Xms512m -Xmx512m -jar "$ROOT/segment-service/target/quarkus-app/quarkus-run.jar" > "$WORK/segment.log" 2>&1 &
SEGMENT=$!
PIDS+=($SEGMENT)
CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" QUARKUS_HTTP_PORT=$EXPORT_PORT CDP_SEGMENT_SERVICE_URL=$SEGMENTS \
  CDP_EXPORT_DIRECTORY="$WORK/exports" java -Xms256m -Xmx256m -jar "$ROOT/export-service/target/quarkus-app/quarkus-run.jar" > "$WORK/export.log" 2>&1 &
EXPORT=$!
PIDS+=($EXPORT)
await $SEGMENT curl -fs -o /dev/null "$SEGMENTS/q/health/live"
await $EXPORT curl -fs -o /dev/null "$EXPORTS/q/health/live"

say "creating and evaluating the segment"
SEGMENT_ID=$(post "$SEGMENTS/segments" -d '{"name": "Everyone who allows ads", "definition": {"type": "profile", "field": "advertisingOptIn", "operator": "eq", "value": true}}' | json_field id)
post -X POST "$SEGMENTS/segments/$SEGMENT_ID/refresh" | json_field size > "$WORK/size"
say "waiting for segment-service to publish the membership changes (so it does not compete with the export)"
TIMEOUT=900 await $SEGMENT outbox_empty

say "exporting $(cat "$WORK/size") members to a Meta file"
JOB=$(post "$EXPORTS/exports" -d "{\"segmentId\": \"$SEGMENT_ID\", \"platform\": \"META\", \"requestedBy\": \"bench\"}" | json_field id)
MAX_HEAP=0
until curl -fsS "$EXPORTS/exports/$JOB" > "$WORK/job.json" && grep -Eq '"status":"(SUCCEEDED|FAILED)"' "$WORK/job.json"; do
  heap=$(heap_used); [ "$heap" -gt "$MAX_HEAP" ] && MAX_HEAP=$heap
  sleep 0.5
done
grep -q '"status":"SUCCEEDED"' "$WORK/job.json" || { say "the export failed: $(cat "$WORK/job.json")"; exit 1; }
READ=$(json_field rowsRead < "$WORK/job.json")
WRITTEN=$(json_field rowsWritten < "$WORK/job.json")
SECONDS_TAKEN=$(sql $DATABASE "SELECT extract(epoch FROM finished_at - started_at) FROM export.jobs WHERE id = '$JOB'")
EXPORT_RATE=$(awk -v n="$READ" -v s="$SECONDS_TAKEN" 'BEGIN { printf "%d", n / s }')
FILE_MB=$(awk -v b="$(stat -c %s "$WORK/exports/$JOB.csv")" 'BEGIN { printf "%.0f", b / 1048576 }')

say "the bare hashing loop over the same normalized strings"
sql $DATABASE "COPY (SELECT unnest(ARRAY[email_normalized, substr(phone_e164, 2),
    lower(translate(first_name, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')), lower(translate(last_name, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')),
    city_normalized, 'tr']) FROM profile.customers) TO STDOUT" > "$WORK/strings"
HASHES=$(java -Xmx2g "$ROOT/bench/HashLoop.java" "$WORK/strings" | cut -d' ' -f1)
LOOP_RATE=$((HASHES / 6))

cat << EOF

== export-service benchmark ($(nproc) cores; PostgreSQL, segment-service and export-service on this machine)
export to Meta      : $READ members read, $WRITTEN rows written in $SECONDS_TAKEN s -> $EXPORT_RATE rows/s ($FILE_MB MB file)
bare hashing loop   : $HASHES SHA-256 hex/s = $LOOP_RATE rows/s of six hashes -> export/loop ratio $(ratio "$EXPORT_RATE" "$LOOP_RATE")
export-service heap : -Xmx256m; at most $((MAX_HEAP / 1048576)) MB in use (sampled every 0.5 s)
target              : >= 100000 rows/s with the heap under 256 MB
EOF

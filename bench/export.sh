#!/usr/bin/env bash
# export-service on this machine, at 0.1, 1 and (where the disk has room) 3 times the given size: CUSTOMERS customers
# (all with advertising consent, each with email, phone, first and last name, city and country) generated in SQL
# straight into the profile schema (bench/export-data.sql), one segment holding all of them, evaluated by
# segment-service; then, by export-service running with a 256 MB heap, in one run:
#  1. five exports of the segment to a Meta file through the API (the six identifiers normalized and SHA-256-hashed):
#     the first after the services started, whose JIT is still compiling, the second, and three more, of which the
#     best is the warm figure (the services' JIT done, as in a service that has run for a while),
#  2. the first sync of the same segment to the Meta stub (the WireMock stub the tests use, in its own JVM): a
#     usersreplace session of 10,000 rows a request, every row recorded in the ledger.
# Prints, for each size,
#  - the first, second and warm export's rows/s (as the job times it), the CPU export-service, segment-service and
#    PostgreSQL used for it and where it went by kind of thread, and the warm and second export's ratio to a bare loop
#    that only SHA-256-hashes the same six normalized strings per row (bench/HashLoop.java, best of five passes: warm),
#  - the sync's rows/s (as the run times it) and its ratio to the second file export,
#  - the service's largest heap in use during both, sampled from its metrics,
# and a table of how they grow.
# Usage: bench/export.sh [CUSTOMERS, default 1000000]
# BENCH_SCALES sets the multiples run (default "0.1 1 3"; "1" for the given size only).
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests (about 1.5 GB of disk per million customers). Ports 28180,
# 28183, 28184, 29292-29293.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BASE_CUSTOMERS=${1:-1000000}
WORK=$(mktemp -d /tmp/cdp-exportbench.XXXXXX)
SEGMENT_PORT=28183
EXPORT_PORT=28184
KAFKA_PORT=29292
KEYCLOAK_PORT=28180
DATABASE=cdp_exportbench
SEGMENTS=http://127.0.0.1:$SEGMENT_PORT
EXPORTS=http://127.0.0.1:$EXPORT_PORT
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

heap_used() { curl -fsS "$EXPORTS/q/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { sum += $NF } END { printf "%d\n", sum }'; }
sample_heap() { local heap; heap=$(heap_used); [ "$heap" -gt "$MAX_HEAP" ] && MAX_HEAP=$heap; return 0; }

require_free_ports $SEGMENT_PORT $EXPORT_PORT $KAFKA_PORT $((KAFKA_PORT + 1)) $KEYCLOAK_PORT
build_if_needed segment-service
build_if_needed export-service
(cd "$ROOT" && ./mvnw -q -pl export-service test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/stub.cp")
start_kafka $KAFKA_PORT 3
start_keycloak $KEYCLOAK_PORT

say "starting the Meta stub (WireMock, the tests' stub)"
: > "$WORK/stub.out"
java -XX:+UseSerialGC -Xms1g -Xmx1g -cp "$ROOT/export-service/target/test-classes:$(cat "$WORK/stub.cp")" dev.cdp.export.stub.PlatformStubsMain > "$WORK/stub.out" 2> "$WORK/stub.log" &
STUB=$!
PIDS+=($STUB)
await $STUB grep -q http "$WORK/stub.out"
STUB_URL=$(grep -m1 "^http" "$WORK/stub.out")

# One export of the segment to a Meta file through the API, as the job times it; sets FILE_* (rows, seconds, rows/s,
# the CPU each process and each kind of thread used, the file's size).
file_export() {
  EXPORT_CPU_BEFORE=$(cpu_seconds $EXPORT)
  SEGMENT_CPU_BEFORE=$(cpu_seconds $SEGMENT)
  POSTGRES_CPU_BEFORE=$(postgres_cpu)
  thread_cpu $EXPORT > "$WORK/export.threads.before"
  thread_cpu $SEGMENT > "$WORK/segment.threads.before"
  MACHINE_BEFORE=$(machine_cpu)
  JOB=$(post "$EXPORTS/exports" -d "{\"segmentId\": \"$SEGMENT_ID\", \"platform\": \"META\", \"requestedBy\": \"bench\"}" | json_field id)
  until get "$EXPORTS/exports/$JOB" > "$WORK/job.json" && grep -Eq '"status":"(SUCCEEDED|FAILED)"' "$WORK/job.json"; do
    sample_heap; sleep 0.5
  done
  FILE_CPU=$(elapsed "$EXPORT_CPU_BEFORE" "$(cpu_seconds $EXPORT)")
  FILE_SEGMENT_CPU=$(elapsed "$SEGMENT_CPU_BEFORE" "$(cpu_seconds $SEGMENT)")
  FILE_POSTGRES_CPU=$(elapsed "$POSTGRES_CPU_BEFORE" "$(postgres_cpu)")
  thread_cpu $EXPORT > "$WORK/export.threads.after"
  thread_cpu $SEGMENT > "$WORK/segment.threads.after"
  FILE_THREADS=$(thread_cpu_between "$WORK/export.threads.before" "$WORK/export.threads.after")
  FILE_SEGMENT_THREADS=$(thread_cpu_between "$WORK/segment.threads.before" "$WORK/segment.threads.after")
  FILE_MACHINE=$(machine_busy "$MACHINE_BEFORE" "$(machine_cpu)")
  grep -q '"status":"SUCCEEDED"' "$WORK/job.json" || { say "the export failed: $(cat "$WORK/job.json")"; exit 1; }
  FILE_ROWS=$(json_field rowsWritten < "$WORK/job.json")
  FILE_SECONDS=$(sql $DATABASE "SELECT extract(epoch FROM finished_at - started_at) FROM export.jobs WHERE id = '$JOB'")
  FILE_RATE=$(awk -v n="$FILE_ROWS" -v s="$FILE_SECONDS" 'BEGIN { printf "%d", n / s }')
  FILE_MB=$(awk -v b="$(stat -c %s "$WORK/exports/$JOB.csv")" 'BEGIN { printf "%.0f", b / 1048576 }')
}

# Measures SCALE times the given size in a fresh database, segment-service and export-service started on it; prints
# the figures and adds a row to $WORK/growth.
measure() {
  CUSTOMERS=$(scaled "$BASE_CUSTOMERS" "$1")
  create_profile_database
  say "generating $CUSTOMERS customers (SQL)"
  psql -h 127.0.0.1 -U cdp_profile -d $DATABASE -v ON_ERROR_STOP=1 -q -v customers="$CUSTOMERS" -f "$ROOT/bench/export-data.sql" > /dev/null

  say "starting segment-service on :$SEGMENT_PORT and export-service on :$EXPORT_PORT (heap 256 MB)"
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT CDP_OIDC_ISSUER=$ISSUER CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" QUARKUS_HTTP_PORT=$SEGMENT_PORT \
    CDP_SEGMENT_REFRESH_CRON=off java -Xms512m -Xmx512m -jar "$ROOT/segment-service/target/quarkus-app/quarkus-run.jar" > "$WORK/segment.log" 2>&1 &
  SEGMENT=$!
  PIDS+=($SEGMENT)
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT CDP_OIDC_ISSUER=$ISSUER CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" QUARKUS_HTTP_PORT=$EXPORT_PORT \
    CDP_SEGMENT_SERVICE_URL=$SEGMENTS CDP_EXPORT_DIRECTORY="$WORK/exports" CDP_DELIVERY_META_URL="$STUB_URL/meta" \
    CDP_DELIVERY_CREDENTIALS_KEY="$(head -c 32 /dev/urandom | base64)" \
    java -Xms256m -Xmx256m -jar "$ROOT/export-service/target/quarkus-app/quarkus-run.jar" > "$WORK/export.log" 2>&1 &
  EXPORT=$!
  PIDS+=($EXPORT)
  await $SEGMENT curl -fs -o /dev/null "$SEGMENTS/q/health/live"
  await $EXPORT curl -fs -o /dev/null "$EXPORTS/q/health/live"

  say "creating and evaluating the segment"
  SEGMENT_ID=$(post "$SEGMENTS/segments" -d '{"name": "Everyone who allows ads", "definition": {"type": "profile", "field": "advertisingOptIn", "operator": "eq", "value": true}}' | json_field id)
  post -X POST "$SEGMENTS/segments/$SEGMENT_ID/refresh" | json_field size > "$WORK/size"
  say "waiting for segment-service to publish the membership changes (so they do not compete with the runs)"
  TIMEOUT=900 await $SEGMENT outbox_empty
  say "waiting for export-service to have read them (its consumer would otherwise compete with what is measured)"
  TIMEOUT=900 await $EXPORT consumer_caught_up $KAFKA_PORT export-service cdp.segments.membership

  MAX_HEAP=0

  say "exporting $(cat "$WORK/size") members to a Meta file five times: the first after the services started, the second, then three more"
  file_export
  FIRST_RATE=$FILE_RATE FIRST_SECONDS=$FILE_SECONDS FIRST_CPU=$FILE_CPU FIRST_SEGMENT_CPU=$FILE_SEGMENT_CPU FIRST_POSTGRES_CPU=$FILE_POSTGRES_CPU
  rm -f "$WORK/exports/$JOB.csv"
  file_export
  rm -f "$WORK/exports/$JOB.csv"
  SECOND_RATE=$FILE_RATE SECOND_SECONDS=$FILE_SECONDS SECOND_CPU=$FILE_CPU SECOND_SEGMENT_CPU=$FILE_SEGMENT_CPU SECOND_POSTGRES_CPU=$FILE_POSTGRES_CPU
  SECOND_MACHINE=$FILE_MACHINE SECOND_THREADS=$FILE_THREADS SECOND_SEGMENT_THREADS=$FILE_SEGMENT_THREADS
  WARM_RATE=0
  for _ in 1 2 3; do
    file_export
    rm -f "$WORK/exports/$JOB.csv"
    if [ "$FILE_RATE" -gt "$WARM_RATE" ]; then
      WARM_RATE=$FILE_RATE WARM_SECONDS=$FILE_SECONDS WARM_CPU=$FILE_CPU WARM_SEGMENT_CPU=$FILE_SEGMENT_CPU WARM_POSTGRES_CPU=$FILE_POSTGRES_CPU
      WARM_MACHINE=$FILE_MACHINE WARM_THREADS=$FILE_THREADS WARM_SEGMENT_THREADS=$FILE_SEGMENT_THREADS
    fi
  done

  say "the bare hashing loop over the same normalized strings"
  sql $DATABASE "COPY (SELECT unnest(ARRAY[email_normalized, substr(phone_e164, 2),
      lower(translate(first_name, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')), lower(translate(last_name, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')),
      city_normalized, 'tr']) FROM profile.customers) TO STDOUT" > "$WORK/strings"
  HASHES=$(java -Xmx2g "$ROOT/bench/HashLoop.java" "$WORK/strings" | cut -d' ' -f1)
  LOOP_RATE=$((HASHES / 6))

  say "syncing the segment to the Meta stub (first run: a full upload)"
  DESTINATION=$(post "$EXPORTS/destinations" -d '{"name": "Meta bench", "kind": "META", "settings": {"adAccountId": "1001"}, "credentials": {"accessToken": "bench"}}' | json_field id)
  SYNC=$(post "$EXPORTS/syncs" -d "{\"segmentId\": \"$SEGMENT_ID\", \"destinationId\": \"$DESTINATION\", \"trigger\": \"MANUAL\"}" | json_field id)
  STUB_CPU_BEFORE=$(cpu_seconds $STUB)
  EXPORT_CPU_BEFORE=$(cpu_seconds $EXPORT)
  MACHINE_BEFORE=$(machine_cpu)
  post -X POST "$EXPORTS/syncs/$SYNC/runs" > /dev/null
  until get "$EXPORTS/syncs/$SYNC/runs?limit=1" > "$WORK/run.json" && grep -Eq '"status":"(SUCCEEDED|PARTIAL|FAILED)"' "$WORK/run.json"; do
    sample_heap; sleep 0.5
  done
  STUB_CPU=$(awk -v a="$STUB_CPU_BEFORE" -v b="$(cpu_seconds $STUB)" 'BEGIN { printf "%.1f", b - a }')
  EXPORT_CPU=$(awk -v a="$EXPORT_CPU_BEFORE" -v b="$(cpu_seconds $EXPORT)" 'BEGIN { printf "%.1f", b - a }')
  SYNC_MACHINE=$(machine_busy "$MACHINE_BEFORE" "$(machine_cpu)")
  grep -q '"status":"SUCCEEDED"' "$WORK/run.json" || { say "the sync failed: $(cat "$WORK/run.json")"; exit 1; }
  SYNC_ROWS=$(json_field rowsAdded < "$WORK/run.json")
  RECEIVED=$(json_field platformReceived < "$WORK/run.json")
  SYNC_MS=$(json_field durationMs < "$WORK/run.json")
  SYNC_RATE=$(awk -v n="$SYNC_ROWS" -v ms="$SYNC_MS" 'BEGIN { printf "%d", n * 1000 / ms }')
  LEDGER=$(sql $DATABASE "SELECT count(*) FROM export.sync_members WHERE sync_id = '$SYNC'")
  AT_STUB=$(sql $DATABASE "SELECT round(sum(duration_ms) / 1000.0, 1) FROM export.delivery_audit WHERE sync_id = '$SYNC'")

  cat << EOF

== export-service benchmark ($(nproc) cores; PostgreSQL, segment-service, export-service and the stub on this machine)
first export        : $FIRST_RATE rows/s ($FIRST_SECONDS s; CPU used: export-service $FIRST_CPU s, segment-service $FIRST_SEGMENT_CPU s, PostgreSQL $FIRST_POSTGRES_CPU s)
second export       : $FILE_ROWS rows written in $SECOND_SECONDS s -> $SECOND_RATE rows/s ($FILE_MB MB file)
                      (CPU used: export-service $SECOND_CPU s, segment-service $SECOND_SEGMENT_CPU s, PostgreSQL $SECOND_POSTGRES_CPU s; machine $SECOND_MACHINE)
                      (export-service's threads: $SECOND_THREADS)
                      (segment-service's threads: $SECOND_SEGMENT_THREADS)
warm export         : best of three more: $WARM_RATE rows/s ($WARM_SECONDS s; CPU used: export-service $WARM_CPU s, segment-service $WARM_SEGMENT_CPU s, PostgreSQL $WARM_POSTGRES_CPU s; machine $WARM_MACHINE)
                      (export-service's threads: $WARM_THREADS)
                      (segment-service's threads: $WARM_SEGMENT_THREADS)
bare hashing loop   : $HASHES SHA-256 hex/s = $LOOP_RATE rows/s of six hashes (best of five passes) -> export/loop ratio: warm $(ratio "$WARM_RATE" "$LOOP_RATE"), second $(ratio "$SECOND_RATE" "$LOOP_RATE")
first sync to Meta  : $SYNC_ROWS rows added ($RECEIVED received by the stub, $LEDGER in the ledger) in $((SYNC_MS / 1000)) s -> $SYNC_RATE rows/s
                      ($AT_STUB s in calls to the stub, as the audit timed them; CPU used: export-service $EXPORT_CPU s, stub $STUB_CPU s;
                      machine $SYNC_MACHINE)
sync / file export  : $(ratio "$SYNC_RATE" "$SECOND_RATE")  (target >= 0.8; the export's target: >= 100000 rows/s)
export-service heap : -Xmx256m; at most $((MAX_HEAP / 1048576)) MB in use (sampled every 0.5 s)
EOF
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$FILE_ROWS" "$FIRST_RATE" "$SECOND_RATE" "$WARM_SECONDS" "$WARM_RATE" "$LOOP_RATE" \
    "$(ratio "$WARM_RATE" "$LOOP_RATE")" "$SYNC_RATE" "$(ratio "$SYNC_RATE" "$SECOND_RATE")" "$((MAX_HEAP / 1048576))" >> "$WORK/growth"
  kill "$SEGMENT" "$EXPORT"
  wait "$SEGMENT" "$EXPORT" 2> /dev/null || true
}

: > "$WORK/growth"
each_scale 1.5

echo
echo "== how it grows"
{
  printf 'members\tfirst export rows/s\tsecond rows/s\twarm s\twarm rows/s\thashing loop rows/s\twarm/loop\tsync rows/s\tsync/second\theap MB\n'
  cat "$WORK/growth"
} | column -t -s $'\t'


#!/usr/bin/env bash
# Ingestion throughput on this machine, against a real Kafka broker on the same machine:
#   1. Kafka's own producer benchmark (ProducerPerformance) sending records the intake wrote, with its settings: the ceiling;
#   2. POST /v1/batch with 100 events a request (wrk, 32 connections): events/s, and whether every accepted event
#      reached the topic;
#   3. the same batches gzip-compressed (Content-Encoding: gzip, as mobile and server SDKs send them): events/s, and
#      its ratio to (2);
#   4. POST /v1/track, one event a request (wrk, 64 connections): requests/s and latency percentiles;
#   5. the same as text/plain, as browsers send it (analytics.js): requests/s, and its ratio to (4);
#   6. POST /v1/import of a 200 MB NDJSON file: rows/s and the service's peak memory, with a heap smaller than the file
#      would need if it were held in memory.
# Prints numbers and their ratios to (1). Usage: bench/ingestion.sh [seconds per wrk run, default 60]
# Needs: JDK 17+, wrk (installed with apt-get when missing), curl, a PostgreSQL as for the tests. Uses ports 28081 and 29092-29093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
DURATION=${1:-60}
WORK=$(mktemp -d /tmp/cdp-bench.XXXXXX)
PORT=28081
KAFKA_PORT=29092
# Where ingestion-service keeps the write keys managed over its API (the calls here use a configured key).
DATABASE=cdp_ingestbench
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
# A fixed, pre-touched heap (see docs/decisions.md); 384 MB is less than a 200 MB file held as bytes plus as text.
SERVICE_OPTS=${BENCH_JAVA_OPTS:--Xms384m -Xmx384m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}
JAR=$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

tool() { java -Xmx256m -cp "$DEVTOOLS_CP" "$@"; }
topic_records() {
  tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$BOOTSTRAP" --topic "$1" 2> /dev/null \
    | awk -F: '{ sum += $3 } END { print sum + 0 }'
}

require_free_ports $PORT $KAFKA_PORT $((KAFKA_PORT + 1))
command -v wrk > /dev/null || { say "installing wrk"; apt-get install -y -q wrk > /dev/null; }
build_if_needed ingestion-service
start_kafka $KAFKA_PORT 6
java -cp "$DEVTOOLS_CP" dev.cdp.devtools.DatabaseSetup "postgresql://127.0.0.1:5432/$DATABASE" --recreate > /dev/null

say "starting ingestion-service on :$PORT ($SERVICE_OPTS)"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of options
KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" CDP_WRITE_KEYS=bench=wk_bench QUARKUS_HTTP_PORT=$PORT \
  java $SERVICE_OPTS -jar "$JAR" > "$WORK/ingestion.log" 2>&1 &
SERVICE=$!
PIDS+=($SERVICE)
await $SERVICE curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"

# The event every request sends: a product view with a few properties, like a web SDK's.
event() {
  printf '{"type":"track","userId":"user-%s","anonymousId":"3f1c2a9e-5b7d-4e21-9a3c-%012d","event":"product_view","properties":{"sku":"FUEL-95-%s","name":"Kurşunsuz Benzin 95","price":43.19,"currency":"TRY","category":"fuel"},"context":{"library":{"name":"analytics.js","version":"5.2.0"},"page":{"path":"/akaryakit/fiyatlar"},"locale":"tr-TR"},"timestamp":"2026-11-26T10:15:30.123Z"}' "$1" "$1" "$1"
}
{
  printf '{"batch":['
  for i in $(seq 1 100); do [ "$i" -gt 1 ] && printf ','; event "$i"; done
  printf ']}'
} > "$WORK/batch.json"
event 42 > "$WORK/track.json"
gzip -c "$WORK/batch.json" > "$WORK/batch.json.gz"

cat > "$WORK/post.lua" << 'EOF'
local body_file = os.getenv("BODY")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
if os.getenv("CONTENT_ENCODING") then wrk.headers["Content-Encoding"] = os.getenv("CONTENT_ENCODING") end
wrk.headers["Authorization"] = "Basic d2tfYmVuY2g6" -- wk_bench:
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
EOF
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }

say "warming up: POST /v1/batch for 10 s"
BODY=$WORK/batch.json wrk -t2 -c32 -d10s --timeout 10s -s "$WORK/post.lua" "http://127.0.0.1:$PORT/v1/batch" > /dev/null

# Kafka's own producer, sending records the intake wrote, with the intake's producer settings.
tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BOOTSTRAP" --topic cdp.events.raw \
  --from-beginning --max-messages 1000 2> /dev/null > "$WORK/records.txt"
RECORD_BYTES=$(awk '{ n++; bytes += length($0) } END { printf "%.0f", bytes / n }' "$WORK/records.txt")
say "1/6 Kafka ProducerPerformance: 3,000,000 of the intake's records (about $RECORD_BYTES bytes each), acks=all, idempotent, linger.ms=1, batch.size=65536, lz4"
tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic bench.producer --partitions 6 \
  --replication-factor 1 > /dev/null 2>&1
tool org.apache.kafka.tools.ProducerPerformance --topic bench.producer --num-records 3000000 --payload-file "$WORK/records.txt" \
  --throughput -1 --producer-props "bootstrap.servers=$BOOTSTRAP" acks=all enable.idempotence=true linger.ms=1 \
  batch.size=65536 compression.type=lz4 2> /dev/null | tail -n 1 | tee "$WORK/producer.txt" >&2
PRODUCER_RATE=$(sed -n 's/.* \([0-9.]*\) records\/sec.*/\1/p' "$WORK/producer.txt")

say "2/6 POST /v1/batch, 100 events a request, 32 connections, $DURATION s"
BEFORE=$(topic_records cdp.events.raw)
BODY=$WORK/batch.json wrk -t2 -c32 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/post.lua" \
  "http://127.0.0.1:$PORT/v1/batch" > "$WORK/batch.txt"
AFTER=$(topic_records cdp.events.raw)
BATCH_OK=$(( $(field requests "$WORK/batch.txt") - $(field non2xx "$WORK/batch.txt") ))
BATCH_SECONDS=$(field seconds "$WORK/batch.txt")
BATCH_EVENTS=$((BATCH_OK * 100))
STORED=$((AFTER - BEFORE))
BATCH_RATE=$(awk -v n="$BATCH_EVENTS" -v s="$BATCH_SECONDS" 'BEGIN { printf "%.0f", n / s }')

say "3/6 POST /v1/batch gzip-compressed ($(stat -c %s "$WORK/batch.json.gz") of $(stat -c %s "$WORK/batch.json") bytes), 32 connections, $DURATION s"
BEFORE=$(topic_records cdp.events.raw)
BODY=$WORK/batch.json.gz CONTENT_ENCODING=gzip wrk -t2 -c32 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/post.lua" \
  "http://127.0.0.1:$PORT/v1/batch" > "$WORK/gzip.txt"
AFTER=$(topic_records cdp.events.raw)
GZIP_EVENTS=$(( ($(field requests "$WORK/gzip.txt") - $(field non2xx "$WORK/gzip.txt")) * 100 ))
GZIP_STORED=$((AFTER - BEFORE))
GZIP_RATE=$(awk -v n="$GZIP_EVENTS" -v s="$(field seconds "$WORK/gzip.txt")" 'BEGIN { printf "%.0f", n / s }')

say "4/6 POST /v1/track, 64 connections, $DURATION s (after a 10 s warm-up)"
BODY=$WORK/track.json wrk -t2 -c64 -d10s --timeout 10s -s "$WORK/post.lua" "http://127.0.0.1:$PORT/v1/track" > /dev/null
BODY=$WORK/track.json wrk -t2 -c64 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/post.lua" \
  "http://127.0.0.1:$PORT/v1/track" > "$WORK/track.txt"
TRACK_OK=$(( $(field requests "$WORK/track.txt") - $(field non2xx "$WORK/track.txt") ))
TRACK_RATE=$(awk -v n="$TRACK_OK" -v s="$(field seconds "$WORK/track.txt")" 'BEGIN { printf "%.0f", n / s }')

say "5/6 POST /v1/track as text/plain, 64 connections, $DURATION s"
BODY=$WORK/track.json CONTENT_TYPE=text/plain wrk -t2 -c64 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/post.lua" \
  "http://127.0.0.1:$PORT/v1/track" > "$WORK/plain.txt"
PLAIN_OK=$(( $(field requests "$WORK/plain.txt") - $(field non2xx "$WORK/plain.txt") ))
PLAIN_RATE=$(awk -v n="$PLAIN_OK" -v s="$(field seconds "$WORK/plain.txt")" 'BEGIN { printf "%.0f", n / s }')

say "6/6 POST /v1/import, a 200 MB NDJSON file of interactions"
awk 'BEGIN { for (i = 0; i < 2000000; i++) printf "{\"customer_id\":\"c-%07d\",\"event\":\"page_view\",\"channel\":\"web\",\"timestamp\":\"2026-11-%02dT%02d:%02d:00Z\",\"properties\":{\"path\":\"/kampanyalar/%d\"}}\n", i % 100000, i % 28 + 1, i % 24, i % 60, i }' \
  > "$WORK/interactions.ndjson"
FILE_BYTES=$(stat -c %s "$WORK/interactions.ndjson")
START=$EPOCHREALTIME
curl -fs -u wk_bench: -H 'Content-Type: application/x-ndjson' --data-binary @"$WORK/interactions.ndjson" \
  "http://127.0.0.1:$PORT/v1/import?kind=interactions" > "$WORK/import.json"
IMPORT_SECONDS=$(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
IMPORT_ROWS=$(sed -n 's/.*"accepted":\([0-9]*\).*/\1/p' "$WORK/import.json")
IMPORT_RATE=$(awk -v n="$IMPORT_ROWS" -v s="$IMPORT_SECONDS" 'BEGIN { printf "%.0f", n / s }')
PEAK_RSS_MB=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVICE/status")

cat << EOF

== ingestion benchmark ($(nproc) cores, broker, service and load generator on this machine; service JVM: $SERVICE_OPTS)
Kafka ProducerPerformance  : $PRODUCER_RATE records/s of $RECORD_BYTES bytes (the ceiling)
/v1/batch (100 events/req) : $BATCH_RATE events/s over $BATCH_SECONDS s, p99 $(field p99_ms "$WORK/batch.txt") ms a request; ratio to producer $(ratio "$BATCH_RATE" "$PRODUCER_RATE")
                             accepted $BATCH_EVENTS events, found $STORED on the topic: $([ "$STORED" -ge "$BATCH_EVENTS" ] && echo "no loss" || echo "LOST $((BATCH_EVENTS - STORED))"); $(field socket_errors "$WORK/batch.txt") socket errors, $(field non2xx "$WORK/batch.txt") non-2xx
/v1/batch gzip             : $GZIP_RATE events/s, p99 $(field p99_ms "$WORK/gzip.txt") ms a request; ratio to producer $(ratio "$GZIP_RATE" "$PRODUCER_RATE"), to uncompressed $(ratio "$GZIP_RATE" "$BATCH_RATE")
                             accepted $GZIP_EVENTS events, found $GZIP_STORED on the topic: $([ "$GZIP_STORED" -ge "$GZIP_EVENTS" ] && echo "no loss" || echo "LOST $((GZIP_EVENTS - GZIP_STORED))"); $(field non2xx "$WORK/gzip.txt") non-2xx
/v1/track (64 connections) : $TRACK_RATE requests/s, p50 $(field p50_ms "$WORK/track.txt") ms, p90 $(field p90_ms "$WORK/track.txt") ms, p99 $(field p99_ms "$WORK/track.txt") ms; ratio to producer $(ratio "$TRACK_RATE" "$PRODUCER_RATE"); $(field non2xx "$WORK/track.txt") non-2xx
/v1/track text/plain       : $PLAIN_RATE requests/s, p99 $(field p99_ms "$WORK/plain.txt") ms; ratio to producer $(ratio "$PLAIN_RATE" "$PRODUCER_RATE"), to application/json $(ratio "$PLAIN_RATE" "$TRACK_RATE"); $(field non2xx "$WORK/plain.txt") non-2xx
/v1/import (NDJSON)        : $IMPORT_ROWS rows of $((FILE_BYTES / 1048576)) MiB in $IMPORT_SECONDS s = $IMPORT_RATE rows/s; ratio to producer $(ratio "$IMPORT_RATE" "$PRODUCER_RATE"); service peak RSS $PEAK_RSS_MB MiB
EOF

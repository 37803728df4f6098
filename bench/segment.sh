#!/usr/bin/env bash
# segment-service evaluation on this machine, at 0.1, 1 and (where the disk has room) 3 times the given size:
# CUSTOMERS customers, TRANSACTIONS transactions and INTERACTIONS interactions generated in SQL straight into the
# profile schema (bench/segment-data.sql), then, through the API:
#  - a full evaluation (query plus membership diff) of a five-condition segment and of a 3-level nested one, warm,
#    median of 5, with the ratio to the best hand-written SQL for the same question on the base tables run here
#    (median of 5, the runs of both taken in turns);
#  - the same evaluation and query once more each with a cold cache: the operating system's cache dropped just before
#    (root only; PostgreSQL's buffers are kept), as on a day when other work pushed the data out of memory;
#  - the real-time path: one customer re-evaluated against 20 segments (POST /profiles/{id}/segments/refresh),
#    200 random customers, p50 and p99.
# Prints PostgreSQL's settings that matter to these queries, each size's figures, and a table of how they grow.
# Usage: bench/segment.sh [CUSTOMERS, default 1000000] [TRANSACTIONS, default 10000000] [INTERACTIONS, default 5000000]
# BENCH_SCALES sets the multiples run (default "0.1 1 3"; "1" for the given size only).
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests (about 6 GB of disk per million customers). Ports 28083,
# 28180, 29192-29193.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BASE_CUSTOMERS=${1:-1000000}
BASE_TRANSACTIONS=${2:-10000000}
BASE_INTERACTIONS=${3:-5000000}
WORK=$(mktemp -d /tmp/cdp-segbench.XXXXXX)
PORT=28083
KAFKA_PORT=29192
KEYCLOAK_PORT=28180
DATABASE=cdp_segbench
API=http://127.0.0.1:$PORT
JAR=$ROOT/segment-service/target/quarkus-app/quarkus-run.jar
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
percentile() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
require_free_ports $PORT $KAFKA_PORT $((KAFKA_PORT + 1)) $KEYCLOAK_PORT
build_if_needed segment-service
start_kafka $KAFKA_PORT 3
start_keycloak $KEYCLOAK_PORT
SETTINGS=$(sql postgres "SELECT string_agg(name || ' ' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
  WHERE name IN ('shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost', 'max_parallel_workers_per_gather', 'jit')")

FIVE='{"logic": "AND", "conditions": [
  {"type": "profile", "field": "city", "operator": "eq", "value": "İstanbul"},
  {"type": "profile", "field": "age", "operator": "between", "value": [25, 45]},
  {"type": "transaction", "metric": "count", "operator": "gte", "value": 1, "filter": {"transactionType": "FUEL"}, "window": "P30D"},
  {"type": "transaction", "metric": "sum", "operator": "gte", "value": 1000},
  {"type": "event", "event": "app_open", "operator": "gte", "value": 1, "window": "P90D"}]}'
FIVE_SQL="SELECT c.customer_id FROM profile.customers c JOIN profile.customer_facts f USING (customer_id)
  WHERE c.merged_into IS NULL AND c.deleted_at IS NULL AND c.city_normalized = 'istanbul'
    AND date_part('year', age(c.birth_date)) BETWEEN 25 AND 45 AND f.transaction_total >= 1000
    AND EXISTS (SELECT 1 FROM profile.transactions t WHERE t.customer_id = c.customer_id AND t.type = 'FUEL' AND t.occurred_at >= now() - interval '30 days')
    AND EXISTS (SELECT 1 FROM profile.interactions i WHERE i.customer_id = c.customer_id AND i.event_name = 'app_open' AND i.occurred_at >= now() - interval '90 days')"
NESTED='{"logic": "AND", "conditions": [
  {"type": "profile", "field": "segment", "operator": "eq", "value": "premium"},
  {"logic": "OR", "conditions": [
    {"logic": "AND", "conditions": [
      {"type": "profile", "field": "city", "operator": "eq", "value": "Ankara"},
      {"type": "transaction", "metric": "count", "operator": "gte", "value": 2, "filter": {"transactionType": "FUEL"}, "window": "P90D"}]},
    {"logic": "AND", "conditions": [
      {"type": "profile", "field": "city", "operator": "eq", "value": "İzmir"},
      {"logic": "NOT", "conditions": [{"type": "event", "event": "add_to_cart", "operator": "never", "window": "P30D"}]}]}]},
  {"type": "profile", "field": "advertisingOptIn", "operator": "eq", "value": true}]}'
NESTED_SQL="SELECT c.customer_id FROM profile.customers c
  WHERE c.merged_into IS NULL AND c.deleted_at IS NULL AND c.segment = 'premium' AND c.consent_advertising
    AND ((c.city_normalized = 'ankara' AND (SELECT count(*) FROM profile.transactions t WHERE t.customer_id = c.customer_id
            AND t.type = 'FUEL' AND t.occurred_at >= now() - interval '90 days') >= 2)
      OR (c.city_normalized = 'izmir' AND EXISTS (SELECT 1 FROM profile.interactions i WHERE i.customer_id = c.customer_id
            AND i.event_name = 'add_to_cart' AND i.occurred_at >= now() - interval '30 days')))"

create() { post "$API/segments" -d "{\"name\": \"$1\", \"definition\": $2}" | json_field id; }
# Compares segment $1's full evaluation (query plus membership diff, as the service times it) with the hand-written
# query $2 (psql's timing): a warming run of each, then 5 of each taken in turns, so both see the same machine.
# The hand-written query runs in one psql session, as the service's evaluations run on its pool's long-lived
# connections: a new PostgreSQL backend is slower for its first queries (here about 0.4 s: it maps the shared buffers
# page by page, docs/performance.md). Writes the medians to $WORK/service and $WORK/hand.
compare() {
  coproc HAND { PGPASSWORD=${CDP_DB_ADMIN_PASSWORD:-} psql -h 127.0.0.1 -U "$ADMIN" -d $DATABASE -qAt -v ON_ERROR_STOP=1 2>&1; }
  PIDS+=($HAND_PID)
  # segment-service's selectionSettings: work_mem 256MB, no JIT, random_page_cost 1.1, effective_cache_size as
  # shared_buffers.
  printf "SET work_mem = '256MB';\nSET jit = off;\nSET random_page_cost = 1.1;\n%s\n\\\\timing on\n" \
    "SELECT set_config('effective_cache_size', current_setting('shared_buffers'), false) AS cache \\gset" >&"${HAND[1]}"
  post -X POST "$API/segments/$1/refresh" > "$WORK/first.json"
  hand_once "$2" > /dev/null
  : > "$WORK/service.runs"
  : > "$WORK/hand.runs"
  for _ in 1 2 3 4 5; do
    post -X POST "$API/segments/$1/refresh" | json_field durationMs >> "$WORK/service.runs"
    echo >> "$WORK/service.runs"
    hand_once "$2" >> "$WORK/hand.runs"
  done
  if [ -w /proc/sys/vm/drop_caches ]; then
    drop_os_cache
    post -X POST "$API/segments/$1/refresh" | json_field durationMs > "$WORK/service.cold"
    drop_os_cache
    hand_once "$2" > "$WORK/hand.cold"
  else
    echo - | tee "$WORK/service.cold" > "$WORK/hand.cold"
  fi
  eval "exec ${HAND[1]}>&-"
  wait "$HAND_PID" || true
  grep . "$WORK/service.runs" | median > "$WORK/service"
  median < "$WORK/hand.runs" > "$WORK/hand"
}
drop_os_cache() { sync && echo 3 > /proc/sys/vm/drop_caches; }
# The time of one run of query $1 in compare's psql session (ms, as psql's \timing measures it).
hand_once() {
  local line
  printf 'SELECT count(*) FROM (%s) q;\n' "$1" >&"${HAND[1]}"
  while read -r line <&"${HAND[0]}"; do
    case $line in
      Time:*) echo "$line" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; return ;;
      *ERROR*) say "hand-written SQL failed: $line"; exit 1 ;;
    esac
  done
  say "psql ended before the query's timing"
  exit 1
}

# Measures SCALE times the given size in a fresh database, segment-service started on it; prints the figures and
# adds a row to $WORK/growth.
measure() {
  CUSTOMERS=$(scaled "$BASE_CUSTOMERS" "$1") TRANSACTIONS=$(scaled "$BASE_TRANSACTIONS" "$1") INTERACTIONS=$(scaled "$BASE_INTERACTIONS" "$1")
  create_profile_database
  say "generating $CUSTOMERS customers, $TRANSACTIONS transactions, $INTERACTIONS interactions (SQL)"
  START=$SECONDS
  psql -h 127.0.0.1 -U cdp_profile -d $DATABASE -v ON_ERROR_STOP=1 -q -v customers="$CUSTOMERS" \
    -v transactions="$TRANSACTIONS" -v interactions="$INTERACTIONS" -f "$ROOT/bench/segment-data.sql" > /dev/null
  GENERATED=$((SECONDS - START))
  # Nothing timed below shares the disk with the write-back of what was just generated.
  sql $DATABASE "CHECKPOINT"
  sync
  SIZE=$(sql $DATABASE "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'profile' AND c.relkind = 'r'")
  say "  generated in $GENERATED s; profile schema $SIZE"

  say "starting segment-service on :$PORT"
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT CDP_OIDC_ISSUER=$ISSUER CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" QUARKUS_HTTP_PORT=$PORT \
    CDP_SEGMENT_REFRESH_CRON=off java -Xms512m -Xmx512m -jar "$JAR" > "$WORK/segment.log" 2>&1 &
  SERVICE=$!
  PIDS+=($SERVICE)
  await $SERVICE curl -fs -o /dev/null "$API/q/health/live"

  say "evaluating the five-condition and the nested segment (warm, 5 runs each)"
  FIVE_ID=$(create "Five conditions" "$FIVE")
  compare "$FIVE_ID" "$FIVE_SQL"
  FIVE_MS=$(cat "$WORK/service")
  FIVE_HAND=$(cat "$WORK/hand")
  FIVE_COLD=$(cat "$WORK/service.cold")
  FIVE_HAND_COLD=$(cat "$WORK/hand.cold")
  FIVE_SIZE=$(json_field size < "$WORK/first.json")
  NESTED_ID=$(create "Nested" "$NESTED")
  compare "$NESTED_ID" "$NESTED_SQL"
  NESTED_MS=$(cat "$WORK/service")
  NESTED_HAND=$(cat "$WORK/hand")
  NESTED_COLD=$(cat "$WORK/service.cold")
  NESTED_HAND_COLD=$(cat "$WORK/hand.cold")
  NESTED_SIZE=$(json_field size < "$WORK/first.json")
  HAND_FIVE_SIZE=$(sql $DATABASE "SELECT count(*) FROM ($FIVE_SQL) q")
  HAND_NESTED_SIZE=$(sql $DATABASE "SELECT count(*) FROM ($NESTED_SQL) q")

  say "real time: 18 more segments, then 200 customers re-evaluated against all 20"
  for city in İstanbul Ankara İzmir Bursa Antalya Konya Adana Kocaeli; do
    id=$(create "City $city" "{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"$city\"}")
    post -X POST "$API/segments/$id/refresh" > /dev/null
  done
  for definition in \
    '{"type": "transaction", "metric": "sum", "operator": "gt", "value": 5000}' \
    '{"type": "transaction", "metric": "count", "operator": "gte", "value": 3, "filter": {"transactionType": "FUEL"}, "window": "P30D"}' \
    '{"type": "transaction", "metric": "avg", "operator": "gte", "value": 900, "window": "P90D"}' \
    '{"type": "transaction", "metric": "max", "operator": "gte", "value": 1400, "filter": {"storeId": ["ST-1", "ST-2", "ST-3"]}}' \
    '{"type": "event", "event": "app_open", "operator": "gte", "value": 2, "window": "P30D"}' \
    '{"type": "event", "event": "coupon_redeemed", "operator": "never"}' \
    '{"type": "event", "event": "product_view", "operator": "gte", "value": 1, "properties": {"category": "fuel"}, "window": "P60D"}' \
    '{"type": "profile", "field": "segment", "operator": "eq", "value": "premium"}' \
    '{"logic": "AND", "conditions": [{"type": "profile", "field": "age", "operator": "lt", "value": 30}, {"type": "profile", "field": "smsOptIn", "operator": "eq", "value": true}]}' \
    '{"logic": "OR", "conditions": [{"type": "profile", "field": "gender", "operator": "eq", "value": "female"}, {"type": "transaction", "metric": "count", "operator": "eq", "value": 0, "window": "P180D"}]}'; do
    id=$(create "Real time $RANDOM$RANDOM" "$definition")
    post -X POST "$API/segments/$id/refresh" > /dev/null
  done
  SEGMENTS=$(get "$API/segments" | grep -o '"id"' | wc -l)
  # The first evaluations of those segments put millions of ENTERED changes in the outbox; their relay to Kafka would
  # compete for the CPU with what is measured next, so it goes first.
  say "  waiting for the relay of $(sql $DATABASE "SELECT count(*) FROM segment.membership_outbox") membership changes to Kafka"
  TIMEOUT=1800 await $SERVICE outbox_empty
  # Picked from the facts, which every evaluation reads, so that picking them warms no table only one form reads.
  sql $DATABASE "SELECT customer_id FROM profile.customer_facts ORDER BY md5(customer_id::text || 'rt') LIMIT 220" > "$WORK/customers"
  head -20 "$WORK/customers" | while read -r customer; do post -X POST "$API/profiles/$customer/segments/refresh" > /dev/null; done
  tail -200 "$WORK/customers" | while read -r customer; do
    curl -fsS -H "$AUTH" -o /dev/null -w '%{time_total}\n' -X POST "$API/profiles/$customer/segments/refresh"
  done | awk '{ printf "%.1f\n", $1 * 1000 }' > "$WORK/realtime"

  kill "$SERVICE"
  wait "$SERVICE" 2> /dev/null || true
  REALTIME_P50=$(percentile 50 < "$WORK/realtime")
  REALTIME_P99=$(percentile 99 < "$WORK/realtime")

  cat << EOF

== segment-service benchmark ($(nproc) cores; PostgreSQL and the service on this machine)
data                : $CUSTOMERS customers, $TRANSACTIONS transactions, $INTERACTIONS interactions
five conditions     : full evaluation $FIVE_MS ms (median of 5, warm; $FIVE_SIZE members), hand-written SQL $FIVE_HAND ms ($HAND_FIVE_SIZE) -> ratio $(ratio "$FIVE_MS" "$FIVE_HAND")
nested, 3 levels    : full evaluation $NESTED_MS ms ($NESTED_SIZE members), hand-written SQL $NESTED_HAND ms ($HAND_NESTED_SIZE) -> ratio $(ratio "$NESTED_MS" "$NESTED_HAND")
cold cache          : five conditions $FIVE_COLD ms, hand-written SQL $FIVE_HAND_COLD ms; nested $NESTED_COLD ms, hand-written SQL $NESTED_HAND_COLD ms (one run each, the OS's cache dropped just before; PostgreSQL's buffers kept)
real time           : one customer against $SEGMENTS segments, 200 customers: p50 $REALTIME_P50 ms, p99 $REALTIME_P99 ms (HTTP round trip included)
PostgreSQL          : $SETTINGS
evaluations set     : work_mem 256MB, jit off, random_page_cost 1.1, effective_cache_size as shared_buffers (hand-written SQL too)
targets             : full evaluation <= 1000 ms at 1,000,000 customers, ratio to the hand-written SQL <= 1.0, real time p99 < 50 ms
EOF
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CUSTOMERS" "$SIZE" "$FIVE_MS" "$FIVE_HAND" "$(ratio "$FIVE_MS" "$FIVE_HAND")" \
    "$NESTED_MS" "$NESTED_HAND" "$(ratio "$NESTED_MS" "$NESTED_HAND")" "$FIVE_COLD" "$FIVE_HAND_COLD" "$REALTIME_P50" "$REALTIME_P99" "$GENERATED" >> "$WORK/growth"
}

: > "$WORK/growth"
each_scale 6

echo
echo "== how it grows (full evaluations and hand-written SQL in ms, medians of 5; real time in ms)"
{
  printf 'customers\tdata\tfive\thand-written\tratio\tnested\thand-written\tratio\tfive cold\thand-written cold\treal-time p50\tp99\tgenerated in s\n'
  cat "$WORK/growth"
} | column -t -s $'\t'


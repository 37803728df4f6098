#!/usr/bin/env bash
# profile-service consumption on this machine: a topic pre-filled with MESSAGES raw events (60% interactions, 30%
# transactions, 10% identifies over CUSTOMERS customers) is consumed into an empty database; prints messages/s, the
# CPU per message (service and PostgreSQL, from /proc), the ratio to a plain COPY of the same bronze and silver rows
# into tables of the same shape (same indexes and constraints, no foreign keys), measured in the same run, and the
# database size per million messages. With REPLICAS > 1 the same messages are consumed twice, into a fresh database
# each time: by one replica, then by REPLICAS replicas at once (disjoint partitions), and the scaling is printed.
# Usage: bench/profile.sh [MESSAGES, default 1000000] [CUSTOMERS, default 100000] [REPLICAS, default 1]
# BENCH_WRITERS sets each replica's consumer loops (cdp.profile.writers; the service's default otherwise).
# BENCH_RETENTION=PT30S also runs the raw-event retention every 10 s during the run (from its first minute on), deleting
# what was stored longer ago than that, to see what the deletes cost the consumer.
# Needs: JDK 17+, psql, a PostgreSQL as for the tests (CDP_DB_ADMIN_USER may create databases), run on the database's
# machine (its CPU is read from /proc). Ports 28082 and up (one per replica), 29092-29093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
MESSAGES=${1:-1000000}
CUSTOMERS=${2:-100000}
REPLICAS=${3:-1}
SUPPRESSIONS=1000 # erased identifiers on the suppression list while the messages are consumed
RETENTION=${BENCH_RETENTION:-}
WORK=$(mktemp -d /tmp/cdp-bench.XXXXXX)
PORT=28082
KAFKA_PORT=29092
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
DATABASE=cdp_bench
SERVICE_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}
JAR=$ROOT/profile-service/target/quarkus-app/quarkus-run.jar
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

require_free_ports $(seq $PORT $((PORT + REPLICAS - 1))) $KAFKA_PORT $((KAFKA_PORT + 1))
build_if_needed profile-service
start_kafka $KAFKA_PORT 6

say "filling cdp.events.raw with $MESSAGES raw events over $CUSTOMERS customers"
START=$EPOCHREALTIME
java -Xmx1g -cp "$DEVTOOLS_CP" "$ROOT/bench/ProfileLoad.java" "$BOOTSTRAP" "$MESSAGES" "$CUSTOMERS" "$WORK"
say "  produced in $(elapsed "$START" "$EPOCHREALTIME") s"

ENV=(KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE")
[ -n "$RETENTION" ] && ENV+=(CDP_RAW_EVENT_RETENTION="$RETENTION" CDP_PROFILE_RETENTION_INTERVAL=10s)
[ -n "${BENCH_WRITERS:-}" ] && ENV+=(CDP_PROFILE_WRITERS="$BENCH_WRITERS")
metric() { # the sum over the running replicas of a metric's series matching a pattern
  for port in "${PORTS[@]}"; do curl -fs "http://127.0.0.1:$port/q/metrics"; done | awk -v m="$1" '$0 ~ "^" m { sum += $NF } END { printf "%.0f", sum }'
}
# max(id) is one index lookup; the count (a full scan that would compete for the cores) runs only once it is reached;
# what the retention deleted meanwhile counts as stored
stored() {
  [ "$(sql $DATABASE "SELECT coalesce(max(id), 0) FROM profile.raw_events")" -ge "$MESSAGES" ] \
    && [ $(($(sql $DATABASE "SELECT count(*) FROM profile.raw_events") + $(metric cdp_profile_raw_events_expired_total))) -ge "$MESSAGES" ]
}
cpu_of_replicas() { local sum=0; for pid in "${SERVICES[@]}"; do sum=$(awk -v a="$sum" -v b="$(cpu_seconds "$pid")" 'BEGIN { print a + b }'); done; echo "$sum"; }

# Consumes the whole topic with N replicas (consumer group GROUP) into a fresh database; sets RATE and REPORT.
consume() {
  local replicas=$1 group=$2 started consumed cpu_start cpu_end wal_start wal_end
  java -cp "$DEVTOOLS_CP" dev.cdp.devtools.DatabaseSetup "postgresql://127.0.0.1:5432/$DATABASE" --recreate > /dev/null
  say "starting $replicas profile-service replica(s) ($SERVICE_OPTS) against an empty database"
  SERVICES=()
  PORTS=()
  for ((i = 0; i < replicas; i++)); do
    # shellcheck disable=SC2086 # SERVICE_OPTS is a list of options
    env "${ENV[@]}" QUARKUS_HTTP_PORT=$((PORT + i)) CDP_PROFILE_CONSUMER_GROUP_ID="$group" \
      java $SERVICE_OPTS -jar "$JAR" > "$WORK/profile-$group-$i.log" 2>&1 &
    SERVICES+=($!)
    PORTS+=($((PORT + i)))
    PIDS+=($!)
  done
  for ((i = 0; i < replicas; i++)); do
    await "${SERVICES[$i]}" curl -fs -o /dev/null "http://127.0.0.1:${PORTS[$i]}/q/health/live"
  done
  started=$EPOCHREALTIME
  cpu_start="$(cpu_of_replicas) $(postgres_cpu) $(cpu_seconds "$KAFKA") $(machine_cpu)"
  wal_start=$(postgres_wal)
  # As on a server that has erased people before: every batch then checks its identifiers against the list. The
  # service is live once its migrations ran; these land before the first few batches are through.
  sql $DATABASE "INSERT INTO profile.suppressions (hash, id_type) SELECT sha256(('bench-erased-' || n)::bytea), 'email'
    FROM generate_series(1, $SUPPRESSIONS) n" > /dev/null
  TIMEOUT=1800 await "${SERVICES[0]}" stored
  consumed=$(elapsed "$started" "$EPOCHREALTIME")
  cpu_end="$(cpu_of_replicas) $(postgres_cpu) $(cpu_seconds "$KAFKA") $(machine_cpu)"
  wal_end=$(postgres_wal)
  RATE=$(awk -v n="$MESSAGES" -v s="$consumed" 'BEGIN { printf "%.0f", n / s }')
  local expired deferred replanned
  expired=$(metric cdp_profile_raw_events_expired_total)
  deferred=$(metric cdp_profile_messages_deferred_total)
  replanned=$(for port in "${PORTS[@]}"; do curl -fs "http://127.0.0.1:$port/q/metrics"; done \
    | awk -F'[{}"]' '/^cdp_profile_batches_replanned_total/ { n[$3] += $NF } END { for (r in n) { printf "%s%s %.0f", sep, r, n[r]; sep = ", " } }')
  for pid in "${SERVICES[@]}"; do kill "$pid"; wait "$pid" 2> /dev/null || true; done
  local counts
  counts=$(sql $DATABASE "SELECT (SELECT count(*) FROM profile.customers WHERE merged_into IS NULL) || ' customers, '
    || (SELECT count(*) FROM profile.customers WHERE merged_into IS NOT NULL) || ' merged, '
    || (SELECT count(*) FROM profile.interactions) || ' interactions, ' || (SELECT count(*) FROM profile.transactions)
    || ' transactions, ' || (SELECT count(*) FROM profile.identities) || ' identities'")
  REPORT+="
$replicas replica(s)   : $MESSAGES messages in $consumed s = $RATE messages/s (from the services' start, an empty database,
                 $SUPPRESSIONS identifiers on the suppression list; writers per replica: ${BENCH_WRITERS:-the default})
  CPU/message  : $(echo "$cpu_start $cpu_end" | awk -v n="$MESSAGES" '{ s = ($6 - $1) / n * 1e6; p = ($7 - $2) / n * 1e6
                 printf "%.0f µs = service %.0f + PostgreSQL %.0f (the broker %.0f more; the machine was busy %.0f of %.0f core-seconds)",
                 s + p, s, p, ($8 - $3) / n * 1e6, $9 - $4, $10 - $5 }')
  WAL          : $(echo "$wal_start $wal_end" | awk -v n="$MESSAGES" '{ printf "%.0f bytes a message, %.2f full-page images a message (%.0f%% of the bytes at most), %d checkpoints",
                 ($7 - $3) / n, ($6 - $2) / n, 100 * ($6 - $2) * 8192 / ($7 - $3), $8 - $4 }')
  contention   : $deferred messages deferred (another writer held their customer or claim); batches planned again: ${replanned:-none}
  retention    : ${RETENTION:-P180D, not reached}${RETENTION:+, run every 10 s from the first minute}: $expired raw events deleted during the run
  stored       : $counts"
}

REPORT=""
consume 1 bench-1
SINGLE=$RATE
if [ "$REPLICAS" -gt 1 ]; then
  consume "$REPLICAS" "bench-$REPLICAS"
  REPORT+="
scaling        : $REPLICAS replicas consume $(ratio "$RATE" "$SINGLE") times as fast as one"
fi
SIZE_MB=$(sql $DATABASE "SELECT round(sum(pg_total_relation_size(c.oid)) / 1048576.0) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'profile' AND c.relkind IN ('r', 'm')")

say "COPY baseline: the same bronze and silver rows into tables of the same shape"
sql $DATABASE "CREATE SCHEMA copy_bench;
  CREATE TABLE copy_bench.raw_events (LIKE profile.raw_events INCLUDING ALL);
  CREATE TABLE copy_bench.interactions (LIKE profile.interactions INCLUDING ALL);
  CREATE TABLE copy_bench.transactions (LIKE profile.transactions INCLUDING ALL);" > /dev/null
START=$EPOCHREALTIME
PGPASSWORD=${CDP_DB_ADMIN_PASSWORD:-} psql -h 127.0.0.1 -U "$ADMIN" -d $DATABASE -v ON_ERROR_STOP=1 -q << EOF2
\copy copy_bench.raw_events (source, message_id, type, user_id, anonymous_id, occurred_at, received_at, payload) FROM '$WORK/raw.csv' WITH (FORMAT csv)
\copy copy_bench.interactions (customer_id, raw_event_id, type, event_name, properties, source, channel, occurred_at) FROM '$WORK/interactions.csv' WITH (FORMAT csv)
\copy copy_bench.transactions (customer_id, raw_event_id, transaction_id, type, amount, currency, store_id, items, source, occurred_at) FROM '$WORK/transactions.csv' WITH (FORMAT csv)
EOF2
COPIED=$(elapsed "$START" "$EPOCHREALTIME")
COPY_RATE=$(awk -v n="$MESSAGES" -v s="$COPIED" 'BEGIN { printf "%.0f", n / s }')

cat << EOF2

== profile-service benchmark ($(nproc) cores; broker, service and PostgreSQL on this machine; service JVM: $SERVICE_OPTS)
PostgreSQL     : $(postgres_settings)$REPORT
COPY baseline  : the same messages' bronze and silver rows in $COPIED s = $COPY_RATE messages/s
ratio          : $(ratio "$SINGLE" "$COPY_RATE") of COPY (one replica)$([ "$REPLICAS" -gt 1 ] && echo "; $(ratio "$RATE" "$COPY_RATE") with $REPLICAS")
database size  : $SIZE_MB MiB for $MESSAGES messages = $(awk -v s="$SIZE_MB" -v n="$MESSAGES" 'BEGIN { printf "%.0f", s * 1000000 / n }') MiB per million messages
EOF2

#!/usr/bin/env bash
# The end-to-end latency of a track call under a steady load: from POST /v1/track accepted (the HTTP 200 at the
# client) to the event stored in the profile, and for a customer's first such track to their entering a real-time
# segment. The whole suite runs on this machine (deploy/local/cdp up, ports offset by 21000, its own database, the
# hourly full segment refresh off so that only the real-time path enters customers). Steps:
#   1. a segment "performed <event> at least once in the last day", evaluated once (so profile changes re-evaluate it);
#      CUSTOMERS customers (and a tenth as many warm-up customers, at least 100) identified, stored by profile-service.
#   2. bench/TrackLatency.java sends single-event /v1/track calls at RATE a second (Vert.x's HTTP client, open loop):
#      10 s of warm-up naming the warm-up customers (not counted), then SECONDS measured, in which each customer gets
#      their first track at an evenly spaced moment and every other track repeats a customer already in (or on the
#      way into) the segment. Each call has a unique messageId; a plain Kafka consumer in the client reads
#      cdp.events.stored (profile-service sends each stored interaction after its commit, with its messageId) and
#      cdp.segments.membership (segment-service's ENTERED, by customerId), and waits up to 30 s after the last answer
#      for the rest.
# Prints the rate offered, how many calls were accepted and matched (the unmatched counted as slower than any, never
# left out), p50/p90/p99/max of accepted -> stored and of accepted first track -> ENTERED (the records' timestamps:
# when the service handed them to Kafka after its commit), the same to when the client read them and from when the
# call was sent, the HTTP answer times, the CPU of the machine and of each process over the measured window, and
# whether p99 < 2 s was met for both.
# Usage: bench/track-latency.sh [RATE, default 5000] [SECONDS, default 60] [CUSTOMERS, default 20000]
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests. Ports 29081-29084, 29180, 30092-30093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
RATE=${1:-5000}
DURATION=${2:-60}
CUSTOMERS=${3:-20000}
WARMUP=10
GRACE=30
WARM_CUSTOMERS=$((CUSTOMERS / 10 > 100 ? CUSTOMERS / 10 : 100))
WORK=$(mktemp -d /tmp/cdp-trackbench.XXXXXX)
OFFSET=21000
DATABASE=cdp_trackbench
INGESTION=http://127.0.0.1:$((8081 + OFFSET))
SEGMENTS=http://127.0.0.1:$((8083 + OFFSET))
KAFKA_PORT=$((9092 + OFFSET))
RUN=tl$(date +%s)
EVENT=bench_track_$RUN
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

suite() { CDP_HOME="$WORK/cdp" CDP_PORT_OFFSET=$OFFSET CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" "$ROOT/deploy/local/cdp" "$@"; }
trap 'suite down > /dev/null 2>&1 || true; cleanup' EXIT
client() {
  java -Xms512m -Xmx1g -XX:+UseSerialGC -Dclk.tck="$(getconf CLK_TCK)" -Dtrack.processes="${PROCESSES:-}" -cp "$WORK/bench:$SERVICE_LIBS_CP" \
    TrackLatency "$@"
}
stored_customers() { [ "$(sql $DATABASE "SELECT count(*) FROM profile.identities WHERE id_type = 'userId' AND id_value LIKE '$RUN-%'")" -ge $((CUSTOMERS + WARM_CUSTOMERS)) ]; }
# True once the identify calls went all the way: stored, re-evaluated, their (empty) membership changes relayed.
settled() {
  consumer_caught_up "$KAFKA_PORT" profile-service cdp.events.raw && consumer_caught_up "$KAFKA_PORT" segment-service cdp.profiles.changed && outbox_empty
}

[ "$CUSTOMERS" -le $((RATE * DURATION)) ] || { say "CUSTOMERS ($CUSTOMERS) must not exceed RATE x SECONDS ($((RATE * DURATION))): one first track each"; exit 2; }
require_free_ports $((8081 + OFFSET)) $((8082 + OFFSET)) $((8083 + OFFSET)) $((8084 + OFFSET)) $KAFKA_PORT $((KAFKA_PORT + 1)) $((8180 + OFFSET))

say "starting the suite (deploy/local/cdp up, ports +$OFFSET, database $DATABASE, full segment refresh off)"
CDP_SEGMENT_REFRESH_CRON=off suite up > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
compile_clients TrackLatency # against the libraries the suite's build put under ingestion-service
AUTH="Authorization: Bearer $(suite token owner)"

say "creating the segment: $EVENT at least once in the last day"
SEGMENT_ID=$(post "$SEGMENTS/segments" -d "{\"name\": \"Track latency $RUN\", \"definition\": {\"type\": \"event\", \"event\": \"$EVENT\", \"operator\": \"gte\", \"value\": 1, \"window\": \"P1D\"}}" | json_field id)
post -X POST "$SEGMENTS/segments/$SEGMENT_ID/refresh" > /dev/null

say "identifying $CUSTOMERS customers and $WARM_CUSTOMERS warm-up customers"
client customers "$INGESTION" wk_app_dev "$RUN-w" "$WARM_CUSTOMERS" >&2
client customers "$INGESTION" wk_app_dev "$RUN-c" "$CUSTOMERS" >&2
PROFILE=$(cat "$WORK/cdp/run/profile.pid")
TIMEOUT=600 await "$PROFILE" stored_customers
TIMEOUT=600 await "$PROFILE" settled
# The client matches ENTERED records (by customerId) to customers (by userId) with profile-service's own mapping.
sql $DATABASE "SELECT id_value || E'\t' || customer_id FROM profile.identities WHERE id_type = 'userId' AND id_value LIKE '$RUN-%'" > "$WORK/customers.tsv"

# The client reads what each process of the suite (and PostgreSQL's backends serving this database) spent while the
# measured window was sent; what is left of the machine's busy time is everything else on it.
PROCESSES=$(for name in ingestion profile segment export kafka keycloak; do printf '%s=%s ' $name "$(cat "$WORK/cdp/run/$name.pid")"; done)
PROCESSES+="postgresql=$(sql postgres "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = '$DATABASE'")"

say "tracking: $RATE calls/s, $WARMUP s of warm-up, then $DURATION s measured; up to $GRACE s more for what is on its way"
STATUS=0
client run "$INGESTION" wk_app_dev "$RUN" "127.0.0.1:$KAFKA_PORT" "$SEGMENT_ID" "$EVENT" \
  "$WORK/customers.tsv" "$RATE" "$DURATION" "$WARMUP" "$GRACE" > "$WORK/latency.out" 2> "$WORK/client.log" &
PIDS+=($!)
wait $! || STATUS=$?
grep -q '^target' "$WORK/latency.out" || { say "the client failed:"; cat "$WORK/latency.out" >&2; tail -n 40 "$WORK/client.log" >&2; exit 1; }

cat << EOF2

== track -> profile -> segment latency ($(nproc) cores; Kafka, PostgreSQL, Keycloak, the four services and the load client on this machine)
$(cat "$WORK/latency.out")
EOF2
exit $STATUS

#!/usr/bin/env bash
# The time from an event accepted over HTTP to the matching add arriving at the platform, with an on-change sync:
# the whole suite runs on this machine (deploy/local/cdp up, ports offset by 20000, its own database), export-service
# delivering to the Meta stub the tests use (WireMock, in its own JVM). A segment of customers with one tier is
# connected to a Meta destination (MIRROR, ON_CHANGE); then bench/SyncLatency.java sends CUSTOMERS identify calls at
# RATE a second, each making a new customer enter the segment (ingestion -> Kafka -> profile -> segment ->
# membership -> export-service -> Meta), and matches each add the stub received (by its EMAIL hash) to the call. A
# warm-up round of 300 other customers goes first, so what is measured is the running suite, not its first requests.
# Prints p50/p90/p99/max of the latencies and how many sync runs carried them.
# Usage: bench/sync-latency.sh [CUSTOMERS, default 1000] [RATE per second, default 100]
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests. Ports 28081-28084, 28180, 29092-29093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
CUSTOMERS=${1:-1000}
RATE=${2:-100}
WORK=$(mktemp -d /tmp/cdp-latencybench.XXXXXX)
OFFSET=20000
DATABASE=cdp_latencybench
INGESTION=http://127.0.0.1:$((8081 + OFFSET))
SEGMENTS=http://127.0.0.1:$((8083 + OFFSET))
EXPORTS=http://127.0.0.1:$((8084 + OFFSET))
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

suite() { CDP_HOME="$WORK/cdp" CDP_PORT_OFFSET=$OFFSET CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" "$ROOT/deploy/local/cdp" "$@"; }
trap 'suite down > /dev/null 2>&1 || true; cleanup' EXIT

require_free_ports $((8081 + OFFSET)) $((8082 + OFFSET)) $((8083 + OFFSET)) $((8084 + OFFSET)) $((9092 + OFFSET)) $((9093 + OFFSET)) $((8180 + OFFSET))
start_platform_stubs
compile_clients SyncLatency

say "starting the suite (deploy/local/cdp up, ports +$OFFSET, database $DATABASE)"
CDP_DELIVERY_META_URL="$STUB_URL/meta" suite up > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
AUTH="Authorization: Bearer $(suite token owner)"

TIER=lat$(date +%s)
say "creating the segment (tier $TIER), a Meta destination and an on-change sync"
SEGMENT_ID=$(post "$SEGMENTS/segments" -d "{\"name\": \"Latency $TIER\", \"definition\": {\"type\": \"profile\", \"field\": \"tier\", \"operator\": \"eq\", \"value\": \"${TIER^^}\"}}" | json_field id)
post -X POST "$SEGMENTS/segments/$SEGMENT_ID/refresh" > /dev/null
DESTINATION=$(post "$EXPORTS/destinations" -d '{"name": "Meta latency bench", "kind": "META", "settings": {"adAccountId": "1001"}, "credentials": {"accessToken": "bench"}}' | json_field id)
SYNC=$(post "$EXPORTS/syncs" -d "{\"segmentId\": \"$SEGMENT_ID\", \"destinationId\": \"$DESTINATION\", \"mode\": \"MIRROR\", \"trigger\": \"ON_CHANGE\"}" | json_field id)
first_run_done() { get "$EXPORTS/syncs/$SYNC/runs?limit=1" | grep -q '"status":"SUCCEEDED"'; }
await $STUB first_run_done

say "warming up: 300 customers at $RATE/s through the same path (not measured)"
java -cp "$WORK/bench" SyncLatency "$INGESTION" wk_app_dev "$TIER" "$WORK/arrivals.tsv" 300 "$RATE" 120 warmup > "$WORK/warmup.out" 2>&1 \
  || { say "the warm-up failed:"; cat "$WORK/warmup.out" >&2; exit 1; }
STARTED=$(date -u +%FT%T.%NZ)
say "sending $CUSTOMERS identify calls at $RATE/s and waiting for their adds at the stub"
java -cp "$WORK/bench" SyncLatency "$INGESTION" wk_app_dev "$TIER" "$WORK/arrivals.tsv" "$CUSTOMERS" "$RATE" 120 measured > "$WORK/latency.out" || true
RUNS=$(sql $DATABASE "SELECT count(*) || ' incremental sync runs (' || round(avg(extract(epoch FROM finished_at - started_at)) * 1000)
    || ' ms on average, the longest ' || round(max(extract(epoch FROM finished_at - started_at)) * 1000) || ' ms)'
    FROM export.sync_runs WHERE sync_id = '$SYNC' AND kind = 'INCREMENTAL' AND started_at >= '$STARTED'")
BATCHES=$(sql $DATABASE "SELECT count(*) FROM export.delivery_audit WHERE sync_id = '$SYNC' AND operation = 'add' AND at >= '$STARTED'")

cat << EOF2

== on-change sync latency ($(nproc) cores; the suite, Kafka, PostgreSQL and the stub on this machine)
$(cat "$WORK/latency.out")
carried by  : $RUNS, $BATCHES add requests to the stub
target      : p99 < 5000 ms
EOF2
grep -q '^arrived *: \([0-9]*\) of \1 ' "$WORK/latency.out"

#!/usr/bin/env bash
# Conversions forwarded in real time, measured through the whole suite on this machine (deploy/local/cdp up, ports
# offset by 30000, its own database), export-service delivering to the Meta Conversions API stub the tests use
# (WireMock, in its own JVM, noting when each event_id arrives). Steps:
#   1. CUSTOMERS customers identified with an email, a phone and advertising consent; a Meta destination with a pixel.
#   2. Forwarding off: RATE transactions a second for SECONDS, the intake's achieved rate and answer times noted.
#      Then its top rate: BURST POS transactions as fast as it takes them (8 calls at a time), twice, the better counting.
#   3. Forwarding on (the default rules: a sale -> Purchase); a warm-up round of 15 s at RATE (not measured: the first
#      seconds of a cold JVM's new code paths on a saturated machine took 5 s and more). Then RATE transactions a
#      second for SECONDS through /v1/transactions (bench/ConversionLoad.java): every one must arrive at the stub, and
#      the time from the accepted call to the arrival is printed as p50/p90/p99, also per 10 s (target: p99 < 5 s).
#   4. The intake's top rate again, forwarding on. The target (the intake unchanged within 10 %) is read at the same
#      offered rate, steps 2 and 3; the top rates show what forwarding takes from the intake when all of it shares two
#      cores.
# Usage: bench/conversions.sh [RATE, default 2000] [SECONDS, default 60] [CUSTOMERS, default 10000] [BURST, default 50000]
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests. Ports 38081-38084, 38180, 39092-39093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
RATE=${1:-2000}
DURATION=${2:-60}
CUSTOMERS=${3:-10000}
BURST=${4:-50000}
WORK=$(mktemp -d /tmp/cdp-conversionbench.XXXXXX)
OFFSET=30000
DATABASE=cdp_conversionbench
INGESTION=http://127.0.0.1:$((8081 + OFFSET))
EXPORTS=http://127.0.0.1:$((8084 + OFFSET))
KAFKA_PORT=$((9092 + OFFSET))
RUN=cv$(date +%s)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

suite() { CDP_HOME="$WORK/cdp" CDP_PORT_OFFSET=$OFFSET CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" "$ROOT/deploy/local/cdp" "$@"; }
trap 'suite down > /dev/null 2>&1 || true; cleanup' EXIT
load() { java -cp "$WORK/bench" ConversionLoad "$INGESTION" wk_pos_dev "$RUN" "$CUSTOMERS" "$WORK/arrivals.tsv" "$@"; }
fresh_token() { AUTH="Authorization: Bearer $(suite token owner)"; }
# True once profile-service has stored every raw event and export-service has read every stored event.
caught_up() { consumer_caught_up "$KAFKA_PORT" profile-service cdp.events.raw && consumer_caught_up "$KAFKA_PORT" export-service cdp.events.stored; }
stored_customers() { [ "$(sql $DATABASE "SELECT count(*) FROM profile.customers")" -ge "$CUSTOMERS" ]; }

require_free_ports $((8081 + OFFSET)) $((8082 + OFFSET)) $((8083 + OFFSET)) $((8084 + OFFSET)) $KAFKA_PORT $((9093 + OFFSET)) $((8180 + OFFSET))
start_platform_stubs
compile_clients ConversionLoad

say "starting the suite (deploy/local/cdp up, ports +$OFFSET, database $DATABASE)"
CDP_DELIVERY_META_URL="$STUB_URL/meta" suite up > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
fresh_token
DESTINATION=$(post "$EXPORTS/destinations" -d '{"name": "Meta conversions bench", "kind": "META", "settings": {"adAccountId": "1001", "pixelId": "123456789012345"}, "credentials": {"accessToken": "bench"}}' | json_field id)

say "identifying $CUSTOMERS customers (email, phone, advertising consent)"
load customers > "$WORK/customers.out"
TIMEOUT=600 await $STUB stored_customers

# The better of two rounds of BURST transactions as fast as the intake takes them, into $WORK/burst-$1.out.
bursts() {
  for round in 1 2; do
    TIMEOUT=900 await $STUB caught_up
    load burst "$BURST" 8 | tee -a "$WORK/burst-$1.all" >&2
  done
  sed -E 's/.*s, ([0-9]+)\/s.*/\1/' "$WORK/burst-$1.all" | sort -n | tail -1 > "$WORK/burst-$1.out"
  TIMEOUT=900 await $STUB caught_up
}

say "forwarding off: $RATE transactions/s for $DURATION s"
load burst 5000 8 > /dev/null # warm-up
load rate "$RATE" "$DURATION" 0 off > "$WORK/off.out"
cat "$WORK/off.out" >&2
say "the intake's top rate, forwarding off: $BURST transactions as fast as it takes them, twice"
bursts off

fresh_token
post -X PUT "$EXPORTS/destinations/$DESTINATION/conversions" -d '{"enabled": true}' > /dev/null
say "forwarding on: a warm-up round of 15 s at $RATE/s (not measured)"
load rate "$RATE" 15 180 warmup > "$WORK/warmup.out" || { cat "$WORK/warmup.out" >&2; exit 1; }
say "forwarding on: $RATE transactions/s for $DURATION s, each to arrive at the Meta stub as a Purchase"
STATUS=0
# CPU seconds of each process of the suite (and all of PostgreSQL's), from here to the last arrival.
processes() { for name in ingestion profile segment export kafka; do echo "$name $(cat "$WORK/cdp/run/$name.pid")"; done; }
cpu_of_all() { processes | while read -r name pid; do echo "$name $(cpu_seconds "$pid")"; done
  echo "postgresql $(for pid in $(pgrep -x postgres); do cpu_seconds "$pid"; done | awk '{ s += $1 } END { printf "%.1f", s }')"
  echo "stub $(cpu_seconds $STUB)"; }
CPU_BEFORE=$(cpu_of_all)
MACHINE_BEFORE=$(machine_cpu)
load rate "$RATE" "$DURATION" 180 > "$WORK/rate.out" || STATUS=1
MACHINE=$(machine_busy "$MACHINE_BEFORE" "$(machine_cpu)")
CPU=$(join <(echo "$CPU_BEFORE" | sort) <(cpu_of_all | sort) | awk '{ printf "%s %.1f s, ", $1, $3 - $2 }')
cat "$WORK/rate.out" >&2
# The first stage from the database: from accepted at the intake to profile-service's transaction that stored it.
STAGE=$(sql $DATABASE "SELECT 'p50 ' || round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at)))
    || ' ms, p99 ' || round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))) || ' ms'
    FROM profile.raw_events WHERE message_id LIKE 'transaction-$RUN-rate-%'")
TIMEOUT=900 await $STUB caught_up

say "the intake's own rate again, forwarding on, twice"
bursts on
OFF=$(cat "$WORK/burst-off.out")
ON=$(cat "$WORK/burst-on.out")
fresh_token
STATS=$(get "$EXPORTS/destinations/$DESTINATION/conversions" | sed -E 's/.*"stats":(\{[^}]*\}[^}]*\}).*/\1/')
CALLS=$(sql $DATABASE "SELECT count(*) || ' calls, ' || round(avg(rows)) || ' events a call on average, ' || round(avg(duration_ms)) || ' ms a call'
    FROM export.delivery_audit WHERE operation = 'conversions'")

cat << EOF2

== conversions forwarded to the Meta Conversions API stub ($(nproc) cores; the suite, Kafka, PostgreSQL and the stub on this machine)
$(cat "$WORK/rate.out")
carried by  : $CALLS
stored      : $STAGE (accepted at the intake -> profile-service's storing transaction began)
cpu         : $CPU(the machine: $MACHINE)
stats       : $STATS
at $RATE/s   : forwarding off: $(grep -h '^sent\|^intake' "$WORK/off.out" | sed -E 's/^[a-z]+ +: //' | paste -sd ';')
top rate    : $OFF transactions/s with forwarding off, $ON/s with forwarding on (the better of two rounds each): ratio $(ratio "$ON" "$OFF")
targets     : every transaction delivered; p99 < 5000 ms; the intake's rate and answers at $RATE/s unchanged within 10 %
EOF2
exit $STATUS

#!/usr/bin/env bash
# A soak run: mixed traffic through all four services for MINUTES while the demo's segments are re-evaluated and an
# export runs every minute, then a reconciliation. The whole suite runs on this machine (deploy/local/cdp up, ports
# offset by 23000, its own database), seeded with the demo (1,000 customers, its segments, exports and sync). Then:
#   1. bench/Soak.java sends /v1/batch requests of 50 messages at RATE messages a second (70% track calls, 20%
#      identify calls, 10% sales at the till; 10,000 customers), each messageId tagged with the run;
#   2. every 30 s: the consumer lag of profile-service (cdp.events.raw) and segment-service (cdp.profiles.changed),
#      and each service's heap in use, heap live after the last collection and resident memory (RSS);
#   3. every 60 s: a full refresh of every segment and a Meta export of the first one;
#   4. after the traffic, up to 10 minutes for the consumers to catch up, then the reconciliation: accepted at the
#      intake = stored in bronze (by messageId) = interactions and transactions in silver, nothing dead-lettered,
#      no export failed.
# Prints the samples, the reconciliation and each service's memory at the start and the end.
# Usage: bench/soak.sh [MINUTES, default 10] [RATE, default 2500]
# Needs: JDK 17+, psql, curl, a PostgreSQL as for the tests. Ports 31081-31084, 31180, 32092-32093.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
MINUTES=${1:-10}
RATE=${2:-2500}
CUSTOMERS=10000
WORK=$(mktemp -d /tmp/cdp-soak.XXXXXX)
OFFSET=23000
DATABASE=cdp_soak
INGESTION=http://127.0.0.1:$((8081 + OFFSET))
SEGMENTS=http://127.0.0.1:$((8083 + OFFSET))
EXPORTS=http://127.0.0.1:$((8084 + OFFSET))
KAFKA_PORT=$((9092 + OFFSET))
RUN=soak$(date +%s)
SERVICES=(ingestion profile segment export)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

suite() { CDP_HOME="$WORK/cdp" CDP_PORT_OFFSET=$OFFSET CDP_DB_URL="postgresql://127.0.0.1:5432/$DATABASE" "$ROOT/deploy/local/cdp" "$@"; }
trap 'suite down > /dev/null 2>&1 || true; cleanup' EXIT

port() { case $1 in ingestion) echo $((8081 + OFFSET)) ;; profile) echo $((8082 + OFFSET)) ;; segment) echo $((8083 + OFFSET)) ;; export) echo $((8084 + OFFSET)) ;; esac; }
pid() { cat "$WORK/cdp/run/$1.pid"; }
lag() {
  java -cp "$DEVTOOLS_CP" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --describe --group "$1" 2> /dev/null | awk -v topic="$2" '$2 == topic && $6 ~ /^[0-9]+$/ { lag += $6 } END { print lag + 0 }'
}
# MB of heap in use, MB of heap live after the last collection, MB resident: one service's memory now.
memory() {
  local metrics
  metrics=$(curl -fsS "http://127.0.0.1:$(port "$1")/q/metrics" 2> /dev/null || true)
  printf '%s/%s/%s' \
    "$(echo "$metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { used += $NF } END { printf "%.0f", used / 1048576 }')" \
    "$(echo "$metrics" | awk '/^jvm_gc_live_data_size_bytes/ { printf "%.0f", $NF / 1048576 }')" \
    "$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(pid "$1")/status")"
}
memories() { for svc in "${SERVICES[@]}"; do printf '%-11s' "$(memory "$svc")"; done; }
dead_letters() {
  java -cp "$DEVTOOLS_CP" org.apache.kafka.tools.GetOffsetShell --bootstrap-server "127.0.0.1:$KAFKA_PORT" --topic cdp.events.dlq 2> /dev/null \
    | awk -F: '{ sum += $3 } END { print sum + 0 }'
}
caught_up() {
  [ "$(lag profile-service cdp.events.raw)" = 0 ] && [ "$(lag segment-service cdp.profiles.changed)" = 0 ]
}

require_free_ports $((8081 + OFFSET)) $((8082 + OFFSET)) $((8083 + OFFSET)) $((8084 + OFFSET)) $KAFKA_PORT $((KAFKA_PORT + 1)) $((8180 + OFFSET))
say "starting the suite (deploy/local/cdp up, ports +$OFFSET, database $DATABASE) and seeding it with the demo"
suite up > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
suite demo --customers 1000 > "$WORK/demo.log" 2>&1 || { tail -n 40 "$WORK/demo.log" >&2; exit 1; }
compile_clients Soak
AUTH="Authorization: Bearer $(suite token owner)"
mapfile -t SEGMENT_IDS < <(get "$SEGMENTS/segments" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
[ ${#SEGMENT_IDS[@]} -gt 0 ] || { say "the demo left no segments"; exit 1; }
DEAD_BEFORE=$(dead_letters)
MEMORY_START=$(memories)

say "soaking: $RATE messages/s for $MINUTES min (heap in use / live after GC / RSS, MB, per service)"
printf '%6s %12s %12s   %-11s%-11s%-11s%-11s\n' "s" "profile lag" "segment lag" "${SERVICES[@]}"
printf '%6s %12s %12s   %s\n' 0 "$(lag profile-service cdp.events.raw)" "$(lag segment-service cdp.profiles.changed)" "$MEMORY_START"
java -Xmx512m -XX:+UseSerialGC -cp "$WORK/bench" Soak "$INGESTION" wk_app_dev "$RUN" "$RATE" $((MINUTES * 60)) "$CUSTOMERS" \
  > "$WORK/soak.out" 2> "$WORK/client.log" &
CLIENT=$!
PIDS+=($CLIENT)
STARTED=$SECONDS
EXPORTS_STARTED=()
NEXT_REFRESH=$((SECONDS + 60))
while kill -0 $CLIENT 2> /dev/null; do
  sleep 30
  if [ $SECONDS -ge $NEXT_REFRESH ]; then
    for id in "${SEGMENT_IDS[@]}"; do post -X POST "$SEGMENTS/segments/$id/refresh" > /dev/null || say "a refresh failed"; done
    EXPORTS_STARTED+=("$(post "$EXPORTS/exports" -d "{\"segmentId\": \"${SEGMENT_IDS[0]}\", \"platform\": \"META\"}" | json_field id)")
    NEXT_REFRESH=$((NEXT_REFRESH + 60))
  fi
  printf '%6s %12s %12s   %s\n' $((SECONDS - STARTED)) "$(lag profile-service cdp.events.raw)" "$(lag segment-service cdp.profiles.changed)" "$(memories)"
done
wait $CLIENT
SENT_FOR=$((SECONDS - STARTED))
say "traffic done after $SENT_FOR s; waiting for the consumers to catch up"
CAUGHT=$SECONDS
TIMEOUT=600 await "$(pid profile)" caught_up
CATCH_UP=$((SECONDS - CAUGHT))
MEMORY_END=$(memories)

read -r ACCEPTED TRACKS IDENTIFIES SALES REFUSED FAILED < <(sed -E 's/[a-z]+=//g' "$WORK/soak.out")
BRONZE=$(sql $DATABASE "SELECT count(*) FROM profile.raw_events WHERE message_id LIKE '$RUN-%'")
DUPLICATES=$(sql $DATABASE "SELECT count(*) - count(DISTINCT (source, message_id)) FROM profile.raw_events WHERE message_id LIKE '$RUN-%'")
INTERACTIONS=$(sql $DATABASE "SELECT count(*) FROM profile.interactions i JOIN profile.raw_events r ON r.id = i.raw_event_id WHERE r.message_id LIKE '$RUN-%'")
SOLD=$(sql $DATABASE "SELECT count(*) FROM profile.transactions WHERE transaction_id LIKE '$RUN-%'")
DEAD=$(( $(dead_letters) - DEAD_BEFORE ))
EXPORT_STATES=$(for id in "${EXPORTS_STARTED[@]}"; do printf '%s\n' "$(get "$EXPORTS/exports/$id" | json_field status)"; done | sort | uniq -c \
  | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
EXPORTS_FAILED=$(echo "$EXPORT_STATES" | grep -c FAILED || true)

OK=yes
[ "$BRONZE" = "$ACCEPTED" ] && [ "$DUPLICATES" = 0 ] && [ "$INTERACTIONS" = "$TRACKS" ] && [ "$SOLD" = "$SALES" ] && [ "$DEAD" = 0 ] \
  && [ "$FAILED" = 0 ] && [ "$EXPORTS_FAILED" = 0 ] || OK=no
cat << EOF

== soak: $MINUTES min at $RATE messages/s ($(nproc) cores; Kafka, PostgreSQL, Keycloak, the four services and the load client on this machine)
sent for $SENT_FOR s; consumers caught up $CATCH_UP s after the traffic ended
accepted $ACCEPTED messages ($TRACKS track, $IDENTIFIES identify, $SALES sales); refused 503 $REFUSED; failed $FAILED
bronze $BRONZE (duplicates $DUPLICATES); silver interactions $INTERACTIONS of $TRACKS track calls, transactions $SOLD of $SALES sales
dead-lettered $DEAD; exports started ${#EXPORTS_STARTED[@]}: ${EXPORT_STATES:-none}
memory (heap in use / live after GC / RSS, MB):   ${SERVICES[*]}
  start  $MEMORY_START
  end    $MEMORY_END
reconciled: $OK
EOF
[ "$OK" = yes ]

# Shared by the scripts under bench/: sourced once they have set ROOT and WORK (and DATABASE when they use one, which
# is dropped on exit). Every process they start goes into PIDS and is stopped on exit, whatever happens.
# shellcheck shell=bash

DEVTOOLS_CP="$ROOT/libs/devtools/target/classes:$ROOT/libs/devtools/target/lib/*"
ADMIN=${CDP_DB_ADMIN_USER:-postgres}
PIDS=()

say() { printf '%s\n' "$*" >&2; }
sql() { PGPASSWORD=${CDP_DB_ADMIN_PASSWORD:-} psql -h 127.0.0.1 -U "$ADMIN" -d "$1" -v ON_ERROR_STOP=1 -qtA -c "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  if [ -n "${DATABASE:-}" ]; then sql postgres "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" > /dev/null 2>&1 || true; fi
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# Waits (up to TIMEOUT seconds, default 120) for a condition while the process it depends on lives.
await() {
  local pid=$1 deadline=$((SECONDS + ${TIMEOUT:-120}))
  shift
  until "$@"; do
    kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $deadline ] || { say "gave up waiting for: $*"; exit 1; }
    sleep 0.2
  done
}

# A fresh database $DATABASE with the services' schemas and roles, and profile-service's migrations applied.
create_profile_database() {
  java -cp "$DEVTOOLS_CP" dev.cdp.devtools.DatabaseSetup "postgresql://127.0.0.1:5432/$DATABASE" --recreate > /dev/null
  for migration in $(ls "$ROOT"/profile-service/src/main/resources/db/migration/V*.sql | sort -V); do
    psql -h 127.0.0.1 -U cdp_profile -d "$DATABASE" -v ON_ERROR_STOP=1 -q -f "$migration" > /dev/null
  done
}

# Calls to the management APIs carry the bearer token of the realm's all-access development user (see start_keycloak).
post() { curl -fsS -H 'Content-Type: application/json' -H "$AUTH" "$@"; }
get() { curl -fsS -H "$AUTH" "$@"; }
# An access token of a development user of the issuer ISSUER (password = name), obtained as a person logs in.
token() {
  curl -fsS -d grant_type=password -d client_id=cdp-web -d "username=$1" -d "password=$1" "$ISSUER/protocol/openid-connect/token" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
# The value of a top-level field of a one-line JSON object on stdin (enough for the services' flat answers).
json_field() { sed -E "s/.*\"$1\":(\"?)([^\",}]*).*/\2/"; }

# True once segment-service has relayed every membership change of $DATABASE to Kafka.
outbox_empty() { [ "$(sql "$DATABASE" "SELECT count(*) FROM segment.membership_outbox")" = 0 ]; }

# True once consumer group GROUP has read every record of TOPIC on the broker at 127.0.0.1:PORT.
consumer_caught_up() {
  java -cp "$DEVTOOLS_CP" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "127.0.0.1:$1" \
    --describe --group "$2" 2> /dev/null | awk -v topic="$3" '$2 == topic { rows++; if ($6 != "0") behind++ } END { exit !(rows > 0 && behind == 0) }'
}

# CPU seconds (user + system) a process has used so far; the machine's busy and total CPU seconds so far.
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{ printf "%.1f\n", ($14 + $15) / tick }' "/proc/$1/stat"; }
machine_cpu() { awk -v tick="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f %.1f\n", ($2 + $3 + $4 + $7 + $8) / tick, ($2 + $3 + $4 + $5 + $6 + $7 + $8) / tick }' /proc/stat; }
# CPU seconds each kind of thread of a process has used so far ("C2 CompilerThre 11.2"), the thread names without
# their numbers: where a JVM's CPU went (its own work, the JIT compilers, the garbage collector).
thread_cpu() {
  for task in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9#' < "$task/comm" | sed 's/[ -]*$//')" "$(cut -d')' -f2 "$task/stat" | awk '{ print $12 + $13 }')"
  done | awk -F'\t' -v tick="$(getconf CLK_TCK)" '{ s[$1] += $2 } END { for (k in s) printf "%s\t%.1f\n", k, s[k] / tick }'
}
# The CPU seconds per kind of thread used between two thread_cpu samples (files), largest first, as one line.
thread_cpu_between() {
  awk -F'\t' 'NR == FNR { before[$1] = $2; next } { d = $2 - before[$1]; if (d >= 0.1) printf "%.1f\t%s\n", d, $1 }' "$1" "$2" \
    | sort -rn | head -6 | awk -F'\t' '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }'
}
# CPU seconds PostgreSQL's processes have used so far: those alive now, and (through the postmaster's children
# times) those that ended; needs to run on the database's machine.
postgres_cpu() {
  local postmaster
  postmaster=$(pgrep -o -u postgres -x postgres)
  { for pid in $(pgrep -u postgres -x postgres); do cat "/proc/$pid/stat" 2> /dev/null; done; } \
    | awk -v tick="$(getconf CLK_TCK)" -v main="$postmaster" '{ sum += $14 + $15; if ($1 == main) sum += $16 + $17 }
      END { printf "%.1f\n", sum / tick }'
}
# PostgreSQL's settings that matter most to a writing workload, as one line.
postgres_settings() {
  sql postgres "SELECT string_agg(name || ' ' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('shared_buffers', 'max_wal_size', 'synchronous_commit', 'wal_compression', 'checkpoint_timeout', 'fsync')"
}
# PostgreSQL's WAL so far, for the whole server: records, full-page images, bytes, checkpoints.
postgres_wal() {
  sql postgres "SELECT w.wal_records || ' ' || w.wal_fpi || ' ' || w.wal_bytes || ' ' || (b.checkpoints_timed + b.checkpoints_req)
    FROM pg_stat_wal w, pg_stat_bgwriter b"
}
# "busy of total core-seconds" between two machine_cpu samples.
machine_busy() { echo "$1 $2" | awk '{ printf "%.0f of %.0f core-seconds busy", $3 - $1, $4 - $2 }'; }

require_free_ports() {
  for port in "$@"; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      say "port $port is in use: stop what runs there first"
      DATABASE="" # another run may be using it: not ours to drop
      exit 1
    fi
  done
}

# Builds the service module (and what it needs) unless its jar and the dev tools are there.
build_if_needed() {
  if [ ! -f "$ROOT/$1/target/quarkus-app/quarkus-run.jar" ] || [ ! -d "$ROOT/libs/devtools/target/lib" ]; then
    say "building $1"
    (cd "$ROOT" && ./mvnw -q package -DskipTests -pl "$1" -am)
  fi
}

# Starts Keycloak with the quickstart realm on 127.0.0.1:PORT; sets ISSUER and AUTH (the header post and get send).
start_keycloak() {
  say "starting Keycloak on 127.0.0.1:$1"
  java -Xmx64m -cp "$DEVTOOLS_CP" dev.cdp.devtools.LocalKeycloak --dir "$WORK/keycloak" --port "$1" \
    --realm "$ROOT/deploy/k8s/quickstart/keycloak/cdp-realm.json" > "$WORK/keycloak.log" 2>&1 &
  PIDS+=($!)
  TIMEOUT=240 await $! test -f "$WORK/keycloak/ready"
  ISSUER=$(cat "$WORK/keycloak/ready")
  AUTH="Authorization: Bearer $(token owner)"
}

# Starts a KRaft broker on 127.0.0.1:PORT (controller on PORT + 1) with PARTITIONS partitions per topic; sets KAFKA (its pid).
start_kafka() {
  say "starting Kafka on 127.0.0.1:$1"
  java -Xms256m -Xmx512m -cp "$DEVTOOLS_CP" dev.cdp.devtools.LocalKafka --dir "$WORK/kafka" --port "$1" \
    --controller-port $(($1 + 1)) --partitions "$2" > "$WORK/kafka.log" 2>&1 &
  KAFKA=$!
  PIDS+=($KAFKA)
  await $KAFKA test -f "$WORK/kafka/ready"
}

# Starts the ad platforms' stubs of export-service's tests (WireMock) in a JVM of their own (PlatformStubsMain), which
# notes each arrival in $WORK/arrivals.tsv; sets STUB (its pid) and STUB_URL (/meta, /google, /tiktok under it).
start_platform_stubs() {
  (cd "$ROOT" && ./mvnw -q -pl export-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/stub.cp")
  say "starting the platform stubs (WireMock, the tests' stubs), noting each arrival"
  : > "$WORK/arrivals.tsv"
  : > "$WORK/stub.out"
  java -Xms512m -Xmx1g -cp "$ROOT/export-service/target/test-classes:$(cat "$WORK/stub.cp")" dev.cdp.export.stub.PlatformStubsMain \
    "$WORK/arrivals.tsv" > "$WORK/stub.out" 2> "$WORK/stub.log" &
  STUB=$!
  PIDS+=($STUB)
  await $STUB grep -q http "$WORK/stub.out"
  STUB_URL=$(grep -m1 "^http" "$WORK/stub.out")
}

# ingestion-service's own libraries (Vert.x, Netty, the Kafka client), for load clients that need a lean HTTP client;
# there once the suite is built.
SERVICE_LIBS_CP="$ROOT/ingestion-service/target/quarkus-app/lib/main/*"

# Compiles latency clients (bench/NAME.java, with Arrivals.java) into $WORK/bench: run them with java -cp "$WORK/bench" NAME,
# or with -cp "$WORK/bench:$SERVICE_LIBS_CP" when they use Vert.x or the Kafka client.
compile_clients() {
  local sources=("$ROOT/bench/Arrivals.java")
  for name in "$@"; do sources+=("$ROOT/bench/$name.java"); done
  javac -cp "$SERVICE_LIBS_CP" -d "$WORK/bench" "${sources[@]}"
}

# A number times a factor, whole: scaled 1000000 0.1 is 100000.
scaled() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n * s }'; }

# Calls `measure SCALE` for each multiple of the script's size in BENCH_SCALES (default "0.1 1 3"), skipping one whose
# data the disk under PostgreSQL cannot hold: GB_PER_MILLION gigabytes per million of BASE_CUSTOMERS, and half again.
each_scale() {
  local free customers
  for scale in ${BENCH_SCALES:-0.1 1 3}; do
    customers=$(scaled "$BASE_CUSTOMERS" "$scale")
    free=$(df -Pk "$(sql postgres "SHOW data_directory")" | awk 'NR == 2 { print $4 }')
    if ! awk -v c="$customers" -v gb="$1" -v free="$free" 'BEGIN { exit !(c / 1000000 * gb * 1.5 * 1048576 < free) }'; then
      say "skipping ${scale}x ($customers customers): the disk has no room for its data"
      continue
    fi
    measure "$scale"
  done
}

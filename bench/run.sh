#!/usr/bin/env bash
# copnet's benchmark harness: copnet against PostGraphile v5 on the same PostgreSQL database,
# and against pgbench replaying copnet's own SQL. See bench/README.md for the method.
#
#   bench/run.sh                     # scale 1, 16 users, 20 s after 5 s of warm-up, median of 3
#   bench/run.sh --scale 10          # the same on a network ten times as large
#   bench/run.sh --smoke             # a few seconds on a tiny network, debug build, no PostGraphile
#   bench/run.sh --only "n thread"   # only these workloads (n s thread notifications directory
#                                    # health circles search search-phrase createPost mix)
#   bench/run.sh --cache-compare     # each copnet workload also through a second copnet with
#                                    # the shared cache in Redis ($REDIS), and its hit ratio
#
# copnet's own cache is off in every other run: the comparisons measure the engine.
# Needs PostgreSQL (server, psql and pgbench) reachable at $PG (trust auth), cargo, and npm
# (PostGraphile and Node 22 are installed from the npm registry into bench/postgraphile).
set -euo pipefail
cd "$(dirname "$0")/.."

PG="${PG:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS="${REDIS:-redis://127.0.0.1:6379}"
SCALE=1 USERS=16 SECONDS_=20 WARMUP=5 RUNS=3 RATE=0 SMOKE=0 POSTGRAPHILE=1 PROFILE=release
COMMUNITIES="" ONLY="" CACHE_COMPARE=0 CAPTURE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --no-postgraphile) POSTGRAPHILE=0; shift ;;
    --cache-compare) CACHE_COMPARE=1; shift ;;
    --no-capture) CAPTURE=0; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --smoke) SMOKE=1; POSTGRAPHILE=0; PROFILE=dev; SECONDS_=2; WARMUP=1; RUNS=1; USERS=4
      COMMUNITIES=2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

SECRET="bench-secret-0123456789-abcdefghijklmnopq"
# The seed's version: a database seeded by an older seed is not reused.
SEED_VERSION=2
DB_NAME="copnet_bench_v${SEED_VERSION}_s${SCALE}${COMMUNITIES:+_c$COMMUNITIES}"
# The smoke run seeds a fresh database of its own every time (seconds), and drops it after.
[ "$SMOKE" = 1 ] && DB_NAME=copnet_bench_smoke
DB="${PG%/*}/$DB_NAME"
OUT="target/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
TARGET_DIR="target/$([ "$PROFILE" = dev ] && echo debug || echo release)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "$SMOKE" = 1 ]; then
    wait 2>/dev/null || true
    psql "$PG" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" || true
  fi
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*" >&2; }

step "building copnet and the load driver ($PROFILE)"
cargo build --profile "$PROFILE" -p copnet-api -p copnet-bench --bin copnet --bin copnet-load >&2
COPNET="$TARGET_DIR/copnet"
LOAD="$TARGET_DIR/copnet-load"

step "database $DB_NAME"
[ "$SMOKE" = 1 ] && psql "$PG" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
if ! psql "$PG" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  psql "$PG" -qc "CREATE DATABASE \"$DB_NAME\""
  DATABASE_URL="$DB" RUST_LOG=warn "$COPNET" seed-bench --scale "$SCALE" \
    ${COMMUNITIES:+--communities "$COMMUNITIES"} | tee "$OUT/seed.json" >&2
fi

wait_http() { # url [GraphQL document, POSTed]
  local args=()
  [ $# -gt 1 ] && args=(-H 'content-type: application/json' -d "{\"query\":\"$2\"}")
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "${args[@]}" "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not answer" >&2
  return 1
}

STARTED=""
start_copnet() { # port, extra env...; sets STARTED to its pid
  local port=$1; shift
  # Without TLS to the database, as PostGraphile's driver connects by default.
  env DATABASE_URL="$DB?sslmode=disable" COPNET_JWT_SECRET="$SECRET" COPNET_BIND="127.0.0.1:$port" \
    COPNET_DATABASE_MAX_CONNECTIONS=16 COPNET_CACHE=false COPNET_RATE_LIMIT_PERSON=0 \
    COPNET_RATE_LIMIT_ANONYMOUS=0 RUST_LOG=warn "$@" "$COPNET" serve \
    >"$OUT/copnet-$port.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
  wait_http "http://127.0.0.1:$port/readyz"
}

step "starting copnet"
COPNET_PORT=18701
start_copnet $COPNET_PORT
COPNET_PID=$STARTED
COPNET_URL="http://127.0.0.1:$COPNET_PORT"
if [ "$CACHE_COMPARE" = 1 ]; then
  step "starting copnet with the shared cache in Redis ($REDIS)"
  CACHED_PORT=18704
  start_copnet $CACHED_PORT COPNET_CACHE=true REDIS_URL="$REDIS" \
    COPNET_REDIS_CHANNEL_PREFIX="copnet-bench-$(date +%s)"
  CACHED_PID=$STARTED
  CACHED_URL="http://127.0.0.1:$CACHED_PORT"
fi

if [ "$POSTGRAPHILE" = 1 ]; then
  step "starting PostGraphile v5 (npm)"
  (cd bench/postgraphile && npm install --no-audit --no-fund --silent >&2)
  PG_PORT=18702
  (cd bench/postgraphile && DATABASE_URL="$DB" PORT=$PG_PORT NODE_ENV=production \
    exec node_modules/.bin/node node_modules/.bin/postgraphile -C graphile.config.mjs) \
    >"$OUT/postgraphile.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$PG_PORT/graphql" "{__typename}" ||
    { cat "$OUT/postgraphile.log" >&2; exit 1; }
  POSTGRAPHILE_PID=$(pgrep -f "postgraphile -C graphile.config.mjs" | head -n 1)
  POSTGRAPHILE_URL="http://127.0.0.1:$PG_PORT"
fi

step "finding the long thread"
THREAD=$(curl -fsS -H 'content-type: application/json' \
  -d '{"query":"{ network(slug: \"bench\") { community(slug: \"community-0\") { space(slug: \"space-0\") { threads(pinned: true, first: 1) { nodes { id } } } } } }"}' \
  "$COPNET_URL/graphql" | sed -E 's/.*"id":"([^"]+)".*/\1/')
THREAD_UUID=$(printf '%s' "$THREAD" | tr '_-' '/+' | base64 -d 2>/dev/null | cut -d: -f2 || true)
echo "thread $THREAD ($THREAD_UUID)" >&2

load() { # label url workload thread pid extra...
  local label=$1 url=$2 workload=$3 thread=$4 pid=$5; shift 5
  "$LOAD" --host "$url" --workload "$workload" --thread "$thread" --pid "$pid" \
    --users "$USERS" --seconds "$SECONDS_" --warmup "$WARMUP" --rate "$RATE" \
    --secret "$SECRET" --label "$label" "$@"
}

# The median of a field over JSON lines.
median() { python3 -c '
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
best = sorted(rows, key=lambda r: r["ok_per_second"])[len(rows) // 2]
print(json.dumps(best))' "$1"; }

want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# The cached server's counters, "hits misses".
counters() { curl -fsS "$CACHED_URL/readyz" | python3 -c '
import json, sys
c = json.load(sys.stdin)["cache"]
print(c["hits"], c["misses"])'; }

RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
run() { # label url workload thread pid extra...
  local label=$1 file
  file="$OUT/$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '-').jsonl"
  step "$label ($RUNS runs)"
  : >"$file"
  for _ in $(seq 1 "$RUNS"); do
    load "$@" | tee -a "$file" >&2
  done
  median "$file" >>"$RESULTS"
}

# A copnet workload, then (with --cache-compare) the same through the cached server, with
# the hit ratio of its lookups over all its runs (warm-up included).
run_copnet() { # workload-name workload extra...
  local name=$1 workload=$2; shift 2
  run "copnet $name" "$COPNET_URL" "$workload" "$THREAD" "$COPNET_PID" "$@"
  [ "$CACHE_COMPARE" = 1 ] || return 0
  local before after
  before=$(counters)
  run "copnet+cache $name" "$CACHED_URL" "$workload" "$THREAD" "$CACHED_PID" "$@"
  after=$(counters)
  python3 -c '
import json, sys
h0, m0, h1, m1 = map(int, sys.argv[2:6])
hits, misses = h1 - h0, m1 - m0
print(json.dumps({"label": "cache " + sys.argv[1], "hits": hits, "misses": misses,
                  "hit_ratio": hits / (hits + misses) if hits + misses else None}))' \
    "$name" $before $after | tee -a "$RESULTS" >&2
}

if [ "$POSTGRAPHILE" = 1 ]; then
  step "both servers answer the same data"
  for w in n s thread; do
    want "$w" || continue
    python3 bench/same_data.py "$COPNET_URL" "$POSTGRAPHILE_URL" "$w" "$THREAD" "$THREAD_UUID"
  done
fi

for w in n s thread; do
  want "$w" || continue
  run_copnet "$w" "bench/workloads/copnet/$w.json"
  if [ "$POSTGRAPHILE" = 1 ]; then
    run "postgraphile $w" "$POSTGRAPHILE_URL" "bench/workloads/postgraphile/$w.json" "$THREAD_UUID" "$POSTGRAPHILE_PID"
  fi
done
want notifications && run_copnet notifications bench/workloads/copnet/notifications.json
want directory && run_copnet directory bench/workloads/copnet/directory.json
for w in health circles search search-phrase; do
  want "$w" && run_copnet "$w" "bench/workloads/copnet/$w.json"
done
want createPost && run_copnet createPost bench/workloads/copnet/create-post.json
want mix && run_copnet "mix 90/10" bench/workloads/copnet/thread.json \
  --mix bench/workloads/copnet/create-post.json --mix-percent 10

step "capturing copnet's SQL for one request of each read workload, replaying it with pgbench"
CAPTURE_PORT=18703
for w in n s thread notifications directory health circles search search-phrase; do
  want "$w" || continue
  [ "$CAPTURE" = 1 ] || continue
  capture="$OUT/$w.sql"
  start_copnet $CAPTURE_PORT COPNET_CAPTURE_SQL="$capture"
  # The start-up's own statements are not the request's.
  : >"$capture"
  "$LOAD" --host "http://127.0.0.1:$CAPTURE_PORT" --workload "bench/workloads/copnet/$w.json" \
    --thread "$THREAD" --once >/dev/null
  kill "$STARTED"; wait "$STARTED" 2>/dev/null || true
  statements=$(wc -l <"$capture")
  tps=$(pgbench -n -M prepared -c "$USERS" -j 2 -T "$SECONDS_" -f "$capture" "$DB?sslmode=disable" 2>/dev/null |
    sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -n 1)
  echo "{\"label\": \"pgbench replaying copnet $w\", \"statements\": $statements, \"tps\": ${tps:-0}}" |
    tee -a "$RESULTS" >&2
done

step "results ($RESULTS)"
python3 bench/report.py "$RESULTS" | tee "$OUT/report.md"

#!/usr/bin/env bash
# Switchboard benchmark (tests/bench/README.md): builds the release tools, starts a real
# switchboard-server on loopback for each store (SQLite; PostgreSQL when
# SWITCHBOARD_BENCH_DATABASE_URL or SWITCHBOARD_TEST_DATABASE_URL is set), seeds it, runs the wrk
# loads and the fan-out probe, then times the store's share of a message POST alone on the same
# store (switchboard-post-floor), and prints one markdown table. Every run is bounded.
#
# Environment: BENCH_DURATION (s per load, 10), BENCH_WARMUP (s before each, 2),
# BENCH_BUILD_DIR (an already configured build dir instead of the release preset),
# BENCH_TICKETS (20000), BENCH_FANOUT_POSTS (300), BENCH_STRICT=1 (exit 1 when a SQLite target is
# missed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-2}
tickets=${BENCH_TICKETS:-20000}
fanout_posts=${BENCH_FANOUT_POSTS:-300}
threads=2
connections=32
password=bench-password

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# --- build --------------------------------------------------------------------------------------
targets=(switchboard-server switchboard-bench-seed switchboard-fanout-bench switchboard-post-floor)
if [[ -n ${BENCH_BUILD_DIR:-} ]]; then
    build=$BENCH_BUILD_DIR
    cmake --build "$build" --target "${targets[@]}" >&2
else
    (cd "$root" && cmake --preset release >&2 && cmake --build --preset release --target "${targets[@]}" >&2)
    build=$root/build/release
fi
server_bin=$build/app/server/switchboard-server
seed_bin=$build/tests/bench/switchboard-bench-seed
fanout_bin=$build/tests/bench/switchboard-fanout-bench
postfloor_bin=$build/tests/bench/switchboard-post-floor
for bin in "$server_bin" "$seed_bin" "$fanout_bin" "$postfloor_bin"; do
    [[ -x $bin ]] || die "$bin was not built"
done

if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    sudo_cmd=()
    [[ $EUID -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y wrk >&2 || die "cannot install wrk"
fi
command -v curl >/dev/null || die "curl is needed"

# --- state cleaned up on exit -----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")
server_pid=
pg_admin_url=
pg_database=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ -n $pg_database ]]; then
        psql "$pg_admin_url" -qAtc "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" \
            >/dev/null 2>&1 || log "could not drop database $pg_database"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- server -------------------------------------------------------------------------------------
base_url=
start_server() { # data_dir [database_url]
    local data=$1 url=${2:-} out=$work/server.out
    : >"$out"
    # The bench accounts are seeded (hashed with 1000 PBKDF2 rounds, like this setting): no
    # bootstrap admin is needed.
    SWITCHBOARD_DATABASE_URL=$url SWITCHBOARD_PASSWORD_ITERATIONS=1000 \
        "$server_bin" --listen 127.0.0.1 --port 0 --data-dir "$data" --fake-clock \
        >"$out" 2>"$work/server.err" &
    server_pid=$!
    local line=
    for _ in $(seq 300); do
        line=$(grep -m1 -o 'listening on http://[^ ]*' "$out" || true)
        [[ -n $line ]] && break
        kill -0 "$server_pid" 2>/dev/null || die "the server exited: $(tail -5 "$work/server.err")"
        sleep 0.1
    done
    [[ -n $line ]] || die "the server did not announce its port within 30 s"
    base_url=${line#listening on }
    log "server pid $server_pid at $base_url"
}

stop_server() {
    kill -TERM "$server_pid"
    local status=0
    for _ in $(seq 300); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        log "the server did not stop within 30 s of SIGTERM; killing it"
        kill -KILL "$server_pid"
    fi
    wait "$server_pid" || status=$?
    [[ $status -eq 0 ]] || log "the server exited with status $status"
    server_pid=
}

sign_in() { # email -> token
    local body
    body=$(curl -sS --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$password\"}" "$base_url/api/v1/auth/login")
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body"
}

expect_status() { # expected method path token [body]
    local expected=$1 method=$2 path=$3 token=$4 body=${5:-} status
    local args=(-sS -o "$work/probe.json" -w '%{http_code}' --max-time 10 -X "$method")
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    [[ -n $body ]] && args+=(-H 'Content-Type: application/json' -d "$body")
    status=$(curl "${args[@]}" "$base_url$path")
    [[ $status == "$expected" ]] || die "$method $path answered $status: $(head -c 300 "$work/probe.json")"
}

# --- loads --------------------------------------------------------------------------------------
rows=()
notes=()
sqlite_misses=0

# CPU time (ns) the server's threads have used: on a shared machine the throughput says how much
# CPU the server was given, the CPU per request what a request costs.
server_cpu_ns() {
    cat /proc/"$server_pid"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f", s }'
}

# wrk script args... -> "rps p50_us p99_us errors cpu_us_per_request"
# (errors: answers >= 400 and socket errors)
wrk_run() {
    local script=$1
    shift
    wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 5s -s "$here/wrk/$script" \
        "$base_url" -- "$@" >/dev/null
    local out before after
    before=$(server_cpu_ns)
    out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
        -s "$here/wrk/$script" "$base_url" -- "$@")
    after=$(server_cpu_ns)
    local line
    line=$(grep '^WRK ' <<<"$out") || die "wrk printed no result for $script: $out"
    field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
    local requests cpu
    requests=$(field requests)
    ((requests > 0)) || die "wrk completed no request for $script"
    cpu=$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN { printf "%.0f", (b - a) / 1000 / n }')
    echo "$(field rps) $(field p50_us) $(field p99_us) $(($(field status_errors) + $(field socket_errors))) $cpu"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# backend load rps p50_us p99_us errors cpu_us baseline_rps baseline_cpu_us min_ratio (or -)
# max_p99_ms (or -)
add_row() {
    local backend=$1 load=$2 rps=$3 p50=$4 p99=$5 errors=$6 cpu=$7 base=$8 base_cpu=$9
    local min_ratio=${10} max_p99=${11}
    local ratio target verdict=pass
    ratio=$(awk -v r="$rps" -v b="$base" 'BEGIN { printf (r / b < 0.1 ? "%.3f" : "%.2f"), r / b }')
    if [[ $min_ratio == - ]]; then
        target="—"
        verdict="—"
    else
        target="≥ ${min_ratio}×, p99 ≤ ${max_p99} ms"
        awk -v r="$ratio" -v m="$min_ratio" -v p="$p99" -v x="$max_p99" \
            'BEGIN { exit !(r >= m && p <= x * 1000) }' || verdict=FAIL
    fi
    [[ $errors == 0 ]] || verdict="$verdict ($errors errors)"
    if [[ $backend != sqlite && $verdict != "—" ]]; then
        verdict="$verdict (SQLite target)"
    elif [[ $verdict == FAIL* || $errors != 0 ]]; then
        sqlite_misses=$((sqlite_misses + 1))
    fi
    local cpu_ratio
    cpu_ratio=$(awk -v c="$cpu" -v b="$base_cpu" \
        'BEGIN { if (c > 0) printf (b / c < 0.1 ? "%.3f" : "%.2f"), b / c; else print "—" }')
    rows+=("| $backend | $load | $rps | $(ms "$p50") | $(ms "$p99") | ${ratio}× | $cpu (${cpu_ratio}×) | $target | $verdict |")
}

run_backend() { # backend [database_url]
    local backend=$1 url=${2:-}
    local data=$work/$backend-data ids=$work/$backend-ids
    mkdir -p "$data" "$ids"
    local seed_args=(--out "$ids" --tickets "$tickets")
    if [[ -n $url ]]; then seed_args+=(--database-url "$url"); else seed_args+=(--data-dir "$data"); fi
    log "$backend: seeding $tickets tickets"
    local seeded
    seeded=$(SWITCHBOARD_PASSWORD_ITERATIONS=1000 BENCH_PASSWORD=$password "$seed_bin" "${seed_args[@]}")
    log "$seeded"
    notes+=("$backend: $seeded")

    local load_before
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    start_server "$data" "$url"
    local agent token ticket
    agent=$(head -1 "$ids/agents.txt")
    token=$(sign_in "$agent")
    [[ -n $token ]] || die "could not sign in $agent"
    ticket=$(head -1 "$ids/writable.txt")
    # Each route answers as the load expects before it is measured: 404s are fast and useless.
    expect_status 200 GET /api/v1/ping ""
    expect_status 200 GET "/api/v1/support/tickets/$ticket" "$token"
    expect_status 200 GET "/api/v1/support/tickets?status=open&priority=high&limit=50" "$token"
    expect_status 201 POST "/api/v1/support/tickets/$ticket/messages" "$token" '{"message":"probe"}'

    local r base
    log "$backend: baseline GET /api/v1/ping"
    read -r -a r <<<"$(wrk_run ping.lua)"
    base=("${r[0]}" "${r[4]}")
    add_row "$backend" "baseline: GET /ping" "${r[@]}" "${base[@]}" - -
    log "$backend: GET /support/tickets/:id"
    read -r -a r <<<"$(wrk_run ticket_get.lua "$token" "$ids/tickets.txt")"
    add_row "$backend" "GET /support/tickets/:id (10 messages)" "${r[@]}" "${base[@]}" 0.33 5
    log "$backend: filtered list"
    read -r -a r <<<"$(wrk_run ticket_list.lua "$token")"
    add_row "$backend" "GET /support/tickets?status&priority&limit=50" "${r[@]}" "${base[@]}" 0.10 5
    log "$backend: POST messages"
    read -r -a r <<<"$(wrk_run message_post.lua "$token" "$ids/writable.txt" "$RANDOM$RANDOM")"
    add_row "$backend" "POST /support/tickets/:id/messages" "${r[@]}" "${base[@]}" 0.15 5
    log "$backend: baseline again (drift of the machine during the run)"
    read -r -a r <<<"$(wrk_run ping.lua)"
    add_row "$backend" "baseline again, after the loads" "${r[@]}" "${base[@]}" - -

    log "$backend: fan-out to 200 agent sockets"
    local out line
    out=$(BENCH_PASSWORD=$password timeout 300 "$fanout_bin" --url "$base_url" \
        --agents "$ids/agents.txt" --tickets "$ids/writable.txt" --sockets 200 \
        --posts "$fanout_posts") || die "the fan-out probe failed: $out"
    line=$(grep '^FANOUT ' <<<"$out")
    notes+=("$backend: $(grep '^fan-out' <<<"$out")")
    local f50 f99 fmax verdict=pass
    f50=$(sed -n 's/.* p50_us=\([0-9]*\).*/\1/p' <<<"$line")
    f99=$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' <<<"$line")
    fmax=$(sed -n 's/.* max_us=\([0-9]*\).*/\1/p' <<<"$line")
    ((f99 <= 10000)) || verdict=FAIL
    if [[ $backend != sqlite ]]; then
        verdict="$verdict (SQLite target)"
    elif [[ $verdict == FAIL ]]; then
        sqlite_misses=$((sqlite_misses + 1))
    fi
    rows+=("| $backend | fan-out: POST → last of 200 sockets (max $(ms "$fmax") ms) | — | $(ms "$f50") | $(ms "$f99") | — | — | p99 ≤ 10 ms | $verdict |")
    stop_server

    # The floor under the POST: its store calls alone, in-process, on the same store. Ceilings,
    # if all the rest of a POST cost what the whole ping costs: the ratio of CPU per request
    # (the store's checkpointer thread counted, as for the server), the ratio of req/s that one
    # request thread could serve, and the p50 that 32 connections would then see at the least
    # (Little's law: 32 × the time a request takes of that thread).
    log "$backend: the POST's store work alone"
    local floor_args=(--tickets "$ids/writable.txt" --posts 20000 --group 9)
    if [[ -n $url ]]; then floor_args+=(--database-url "$url"); else floor_args+=(--data-dir "$data"); fi
    line=$("$postfloor_bin" "${floor_args[@]}" 2>/dev/null | grep '^POSTFLOOR ') \
        || die "switchboard-post-floor failed"
    local floor_cpu floor_thread cpu_ceiling rps_ceiling p50_floor
    floor_cpu=$(sed -n 's/.* cpu_us=\([0-9]*\).*/\1/p' <<<"$line")
    floor_thread=$(sed -n 's/.* thread_us=\([0-9]*\).*/\1/p' <<<"$line")
    cpu_ceiling=$(awk -v f="$floor_cpu" -v b="${base[1]}" 'BEGIN { printf "%.2f", b / (f + b) }')
    rps_ceiling=$(awk -v f="$floor_thread" -v b="${base[1]}" 'BEGIN { printf "%.2f", b / (f + b) }')
    p50_floor=$(awk -v f="$floor_thread" -v b="${base[1]}" -v c="$connections" \
        'BEGIN { printf "%.2f", c * (f + b) / 1000 }')
    rows+=("| $backend | floor: the POST's store calls alone, in-process, 9 a transaction (switchboard-post-floor; ${floor_thread} µs on its thread) | — | ≥ $p50_floor | — | ≤ ${rps_ceiling}× | $floor_cpu (≤ ${cpu_ceiling}×) | — | — |")
    notes+=("$backend: load average $load_before before the loads, $(cut -d' ' -f1 /proc/loadavg) after")
}

# --- SQLite, then PostgreSQL ----------------------------------------------------------------------
run_backend sqlite

pg_url=${SWITCHBOARD_BENCH_DATABASE_URL:-${SWITCHBOARD_TEST_DATABASE_URL:-}}
if [[ -n $pg_url ]]; then
    [[ $pg_url =~ ^postgres(ql)?://[^@/]*@(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/[^/?]+(\?.*)?$ ]] \
        || die "the PostgreSQL URL must name a loopback server and a database"
    command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
    pg_admin_url=$pg_url
    pg_database=switchboard_bench_$$_$RANDOM
    psql "$pg_admin_url" -qAtc "CREATE DATABASE \"$pg_database\"" >/dev/null
    bench_url=$(sed -E "s#^(postgres(ql)?://[^/]*/)[^/?]+#\1$pg_database#" <<<"$pg_url")
    run_backend postgres "$bench_url"
else
    log "no SWITCHBOARD_BENCH_DATABASE_URL or SWITCHBOARD_TEST_DATABASE_URL: PostgreSQL skipped"
fi

# --- the table ----------------------------------------------------------------------------------
echo
echo "Switchboard benchmark: wrk -t$threads -c$connections -d${duration}s per load (after ${warmup}s of warm-up), $tickets tickets; $(nproc) CPUs"
echo
echo "| Store | Load | req/s | p50 ms | p99 ms | × baseline | server CPU µs/req (baseline's ÷ this) | Target | Result |"
echo "|---|---|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
echo
printf -- '- %s\n' "${notes[@]}"
echo
if ((sqlite_misses > 0)); then
    echo "$sqlite_misses SQLite target(s) missed."
    [[ ${BENCH_STRICT:-0} == 1 ]] && exit 1
fi
exit 0

#!/usr/bin/env bash
# The escalation job's benchmark (tests/bench/README.md, "Escalation job"): builds
# switchboard-escalation-bench with the release preset and runs it on SQLite, then on PostgreSQL
# when SWITCHBOARD_BENCH_DATABASE_URL or SWITCHBOARD_TEST_DATABASE_URL names a server (the tool
# creates its own database there and drops it). Prints each store's plan and table.
#
# Environment: BENCH_BUILD_DIR (an already configured build dir instead of the release preset),
# BENCH_BOOKINGS (1000000), BENCH_DUE (1000), BENCH_RUNS (7), BENCH_AGENTS (10),
# BENCH_STRICT=1 (exit 2 when a target is missed), BENCH_FLOOR (1: also time the store's share
# alone, the hour after each job run; 0: the job only).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=switchboard-escalation-bench

if [[ -n ${BENCH_BUILD_DIR:-} ]]; then
    build=$BENCH_BUILD_DIR
    cmake --build "$build" --target "$target" >&2
else
    (cd "$root" && cmake --preset release >&2 && cmake --build --preset release --target "$target" >&2)
    build=$root/build/release
fi
bin=$build/tests/bench/$target
[[ -x $bin ]] || { echo "escalation.sh: $bin was not built" >&2; exit 1; }

args=(--bookings "${BENCH_BOOKINGS:-1000000}" --due "${BENCH_DUE:-1000}" --runs "${BENCH_RUNS:-7}"
    --agents "${BENCH_AGENTS:-10}")
[[ ${BENCH_STRICT:-0} == 1 ]] && args+=(--strict)
[[ ${BENCH_FLOOR:-1} == 1 ]] && args+=(--floor)

status=0
echo "Switchboard escalation benchmark: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$bin" --store sqlite "${args[@]}" || status=$?

pg_url=${SWITCHBOARD_BENCH_DATABASE_URL:-${SWITCHBOARD_TEST_DATABASE_URL:-}}
if [[ -n $pg_url ]]; then
    "$bin" --store postgres --database-url "$pg_url" "${args[@]}" || status=$?
else
    echo "escalation.sh: no SWITCHBOARD_BENCH_DATABASE_URL or SWITCHBOARD_TEST_DATABASE_URL: PostgreSQL skipped" >&2
fi
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"

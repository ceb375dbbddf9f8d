#!/usr/bin/env bash
# Starts a server on a free loopback port (Hub embedded, Hub + a throw-away redis-server, or Hub.Baseline), runs
# fanout.mjs against it with the processes' pids, stops everything and prints the result. Builds nothing.
#
#   bench/js/run.sh --mode embedded|redis [--baseline] [--server-dll PATH] [--baseline-dll PATH] [fanout.mjs options]
#   bench/js/run.sh --mode redis --rooms 20 --members 10 --publishers 1 --duration 10 --warmup 3
#   bench/js/run.sh --baseline --rooms 1 --members 50 --publishers 5
#
# --baseline runs Hub.Baseline (plain SignalR, nothing stored; --mode is ignored). Every other option goes to
# fanout.mjs (see `node bench/js/fanout.mjs --help`). The whole run ends within warm-up + duration + 60 s even if
# the server hangs. Server and redis logs go to a temporary directory, printed at the end (kept on failure).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

mode=embedded
baseline=false
server_dll="$repo/Hub.Server/bin/Release/net10.0/Hub.Server.dll"
baseline_dll="$repo/Hub.Baseline/bin/Release/net10.0/Hub.Baseline.dll"
duration=10
warmup=3
fanout_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --baseline) baseline=true; shift ;;
    --server-dll) server_dll="$2"; shift 2 ;;
    --baseline-dll) baseline_dll="$2"; shift 2 ;;
    --duration) duration="$2"; fanout_args+=("$1" "$2"); shift 2 ;;
    --warmup) warmup="$2"; fanout_args+=("$1" "$2"); shift 2 ;;
    --pids|--url) echo "run.sh: $1 is set by run.sh (use fanout.mjs directly against a server you started)" >&2; exit 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fanout_args+=("$1"); shift ;;
  esac
done
case "$mode" in embedded|redis) ;; *) echo "run.sh: --mode is embedded or redis, not '$mode'" >&2; exit 2 ;; esac
if $baseline; then mode=baseline; dll="$baseline_dll"; else dll="$server_dll"; fi
if $baseline && [[ " ${fanout_args[*]} " == *" messagepack "* ]]; then
  echo "run.sh: Hub.Baseline speaks JSON only (it registers no MessagePack protocol); drop --protocol messagepack" >&2
  exit 2
fi
if [ ! -f "$dll" ]; then
  echo "run.sh: $dll is missing: build it first (dotnet build $( $baseline && echo Hub.Baseline || echo Hub.Server ) -c Release), or pass --server-dll / --baseline-dll." >&2
  exit 2
fi
if [ ! -d "$repo/web/node_modules/@microsoft/signalr" ]; then
  # The page's packages (web/package-lock.json), from npm's cache when it has them.
  npm ci --prefix "$repo/web" --prefer-offline --no-audit --no-fund --loglevel=error >&2
fi

# The deadline: every wait below is cut to it, and stopping takes at most ~10 s after it.
deadline=$(( $(date +%s) + ${warmup%.*} + ${duration%.*} + 45 ))
left() { echo $(( deadline - $(date +%s) )); }

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/hub-jsbench.XXXXXX")"
server_pid=""
redis_pid=""

stop() {  # stop <pid>: TERM, then KILL after 5 s; only the processes this script started
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$server_pid"
  stop "$redis_pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Settings as Hub.Bench starts a node (Hub.Bench/Hosting/ServerNode.cs): the per-connection send limit raised so the
# load is not rate-limited, dev tokens on for POST /api/token, Warning-level logs (per-connect Information logs cost
# CPU production does not spend). The Production environment, as Hub.Bench, so that /metrics stays off as in production
# (Development turns it on) and the figures compare with Hub.Bench's; --Auth:DevTokens=true serves the tokens.
server_args=(
  --Limits:SendsPerSecond=1000000
  --Limits:SendBurst=1000000
  --Auth:DevTokens=true
  --Logging:LogLevel:Default=Warning
  --Logging:LogLevel:Microsoft.AspNetCore=Warning
)

pids=()
if [ "$mode" = redis ]; then
  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
    --dir "$run_dir" --daemonize no --loglevel warning > "$run_dir/redis.log" 2>&1 &
  redis_pid=$!
  disown "$redis_pid"  # stopped by cleanup; no job-control notice when it has to be killed
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
    kill -0 "$redis_pid" 2>/dev/null || { echo "run.sh: redis-server exited:" >&2; cat "$run_dir/redis.log" >&2; exit 2; }
    [ "$(left)" -gt 0 ] || { echo "run.sh: redis-server did not start in time" >&2; exit 2; }
    sleep 0.1
  done
  server_args+=("--Redis:Configuration=127.0.0.1:$redis_port")
fi
if [ "$mode" = baseline ]; then
  # Hub.Baseline takes no Hub settings: it has no rate limit and always serves POST /api/token.
  server_args=(--Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning)
fi

port="$(free_port)"
url="http://127.0.0.1:$port"
# `dotnet X.dll` runs the app in this very process, so $! is the pid to measure.
(cd "$(dirname "$dll")" && ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 exec dotnet "$dll" --urls "$url" "${server_args[@]}") \
  > "$run_dir/server.log" 2>&1 &
server_pid=$!
disown "$server_pid"
until curl -sf -o /dev/null --max-time 2 "$url/readyz"; do
  kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the server exited:" >&2; tail -40 "$run_dir/server.log" >&2; exit 2; }
  [ "$(left)" -gt 0 ] || { echo "run.sh: $url/readyz did not answer 200 in time" >&2; tail -40 "$run_dir/server.log" >&2; exit 2; }
  sleep 0.2
done

pids=("server:$server_pid")
[ -n "$redis_pid" ] && pids+=("redis:$redis_pid")
budget="$(left)"
[ "$budget" -gt 5 ] || { echo "run.sh: no time left to run the load after starting the server" >&2; exit 2; }
status=0
timeout --kill-after=3 "$budget" node "$here/fanout.mjs" --url "$url" --label "$mode" \
  --pids "$(IFS=,; echo "${pids[*]}")" "${fanout_args[@]}" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then echo "run.sh: fanout.mjs did not finish in time" >&2; fi
if [ "$status" -eq 0 ]; then rm -rf "$run_dir"; else echo "run.sh: logs in $run_dir" >&2; fi
exit "$status"

# Shared helpers for the shell suites (sourced). Each suite ends with t_done,
# which prints "N passed, N failed" for scripts/run-tests.sh.
set -u
BUILD=${OKAYA_BUILD:-build}
BUILD=$(cd "$BUILD" && pwd)
APP=$BUILD/okaya-privacy
SANDBOX_BIN=$BUILD/okaya-sandbox
FIXTURE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sandbox/fixtures/demo.json
T_PASS=0 T_FAIL=0
T_TMP=$(mktemp -d)
T_PIDS=""

t_cleanup() {
  local pid ppid
  for pid in $T_PIDS; do
    # Only our own children: a PID that exited may have been reused.
    ppid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)
    [ "$ppid" = "$$" ] || continue
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  rm -rf "$T_TMP"
}
trap t_cleanup EXIT

t_ok()   { T_PASS=$((T_PASS + 1)); echo "ok   $1"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL $1"; [ $# -gt 1 ] && echo "     $2"; }
# t_check NAME COMMAND...: passes when the command succeeds.
t_check() { local n=$1; shift; if "$@"; then t_ok "$n"; else t_fail "$n" "command: $*"; fi; }
# t_eq NAME EXPECTED ACTUAL
t_eq() {
  if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected [$2], got [$3]"; fi
}
# t_contains NAME NEEDLE HAYSTACK
t_contains() {
  case "$3" in *"$2"*) t_ok "$1" ;; *) t_fail "$1" "[$2] not in: $(printf '%s' "$3" | head -c 600)";; esac
}
t_lacks() {
  case "$3" in *"$2"*) t_fail "$1" "[$2] unexpectedly in: $(printf '%s' "$3" | head -c 600)";; *) t_ok "$1" ;; esac
}
# t_until NAME EXPECTED COMMAND...: passes once the command prints EXPECTED,
# polling for up to 10 s: for effects that land a moment after a key press
# (a request in flight, a line being written), where a fixed sleep is a race.
t_until() {
  local n=$1 want=$2 got; shift 2
  local deadline=$(( $(date +%s%N) / 1000000 + 10000 ))
  while got=$("$@"); [ "$got" != "$want" ] && [ $(( $(date +%s%N) / 1000000 )) -lt $deadline ]; do
    sleep 0.05
  done
  t_eq "$n" "$want" "$got"
}
# How many API requests the sandbox has read, answered or still delayed.
sandbox_arrived() { curl -s "$SANDBOX_URL/_sandbox/requests" | grep -aoE '"arrived":[0-9]+' | cut -d: -f2; }
# wait_arrived N: until the sandbox has read N requests (10 s at most), so a
# test knows they are in flight before it interrupts them.
wait_arrived() {
  local i n
  for i in $(seq 1 200); do
    n=$(sandbox_arrived); [ "${n:-0}" -ge "$1" ] && return 0; sleep 0.05
  done
  return 1
}
# cli_env: what every CLI suite runs under: a throw-away config (missing at
# first: defaults), the demo key from the environment, a private history.
cli_env() {
  export OKAYA_CONFIG=$T_TMP/cfg/config.cfg OKAYA_API_KEY=demo-key
  export OKAYA_HISTORY=$T_TMP/history.jsonl
  unset OKAYA_BASE_URL XDG_CONFIG_HOME
}
# run_app ARGS...: runs the app; sets OUT, ERR and RC, and keeps both
# outputs in $T_TMP/all for the suites' closing "never the key" checks.
run_app() {
  "$APP" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  OUT=$(cat "$T_TMP/out") ERR=$(cat "$T_TMP/err")
  cat "$T_TMP/out" "$T_TMP/err" >>"$T_TMP/all"
}
t_done() { echo "$T_PASS passed, $T_FAIL failed"; [ "$T_FAIL" -eq 0 ]; }

# sandbox_start [ARGS...]: starts okaya-sandbox on a free port; sets
# SANDBOX_URL, SANDBOX_PID and SANDBOX_LOG.
sandbox_start() {
  SANDBOX_LOG=$T_TMP/sandbox.$RANDOM.log
  "$SANDBOX_BIN" --port 0 "$@" >"$SANDBOX_LOG" 2>&1 &
  SANDBOX_PID=$!
  T_PIDS="$T_PIDS $SANDBOX_PID"
  SANDBOX_URL=""
  local i
  for i in $(seq 1 200); do
    SANDBOX_URL=$(head -n 1 "$SANDBOX_LOG" | grep -oE 'http://127\.0\.0\.1:[0-9]+')
    [ -n "$SANDBOX_URL" ] && return 0
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "sandbox did not start: $(cat "$SANDBOX_LOG")" >&2
  return 1
}
# Stops the sandbox and forgets its PID, so the exit trap never signals a
# recycled PID that now belongs to someone else.
sandbox_stop() {
  kill "$SANDBOX_PID" 2>/dev/null
  wait "$SANDBOX_PID" 2>/dev/null
  T_PIDS=$(tr ' ' '\n' <<<"$T_PIDS" | grep -vx "$SANDBOX_PID" | tr '\n' ' ')
  true
}

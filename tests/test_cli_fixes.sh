#!/bin/bash
# Regressions from a tester's report on the command line, each against a
# real okaya-sandbox: empty FLAGS, rate-limited batches, same-target order,
# unconfirmed 200s, SIGXFSZ, base-URL checks, --json details, sanitising.
. "$(dirname "$0")/lib.sh"

export OKAYA_CONFIG=$T_TMP/cfg/config.cfg
export OKAYA_API_KEY=demo-key
export OKAYA_HISTORY=$T_TMP/history.jsonl
unset OKAYA_BASE_URL XDG_CONFIG_HOME

run() {
  "$APP" --base-url "$SANDBOX_URL" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  OUT=$(cat "$T_TMP/out") ERR=$(cat "$T_TMP/err")
}
posts() { sleep 0.1; grep -c 'POST' "$SANDBOX_LOG"; }

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
MAIN_URL=$SANDBOX_URL MAIN_LOG=$SANDBOX_LOG

# ---- 3: an empty FLAGS never clears a level ------------------------------------
run set group 123456 ""
t_eq "set with FLAGS \"\" exits 2" 2 "$RC"
t_contains "set with FLAGS \"\" says how to clear" "FLAGS is empty: write none to clear the level" "$ERR"
run set group 123456 "  "
t_eq "set with blank FLAGS exits 2" 2 "$RC"
printf 'group 123456\n' >"$T_TMP/noflags.txt"
run batch "$T_TMP/noflags.txt"
t_eq "batch line without FLAGS exits 2" 2 "$RC"
t_contains "batch line without FLAGS names the line" "noflags.txt:1: FLAGS is empty" "$ERR"
t_eq "empty FLAGS sent nothing" 0 "$(posts)"

t_done

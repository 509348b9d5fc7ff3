#!/bin/bash
# Regressions from a tester's second report on the read, notify and history
# commands, each against a real okaya-sandbox (or a tiny server started here).
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
hist_lines() { [ -f "$OKAYA_HISTORY" ] && wc -l <"$OKAYA_HISTORY" | tr -d ' ' || echo 0; }

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
MAIN_URL=$SANDBOX_URL MAIN_LOG=$SANDBOX_LOG

# ---- 1: every request that was sent leaves a history line ---------------------
sandbox_start --delay-ms 3000 || t_fail "slow sandbox starts"
rm -f "$OKAYA_HISTORY"
run --timeout 1 notify group 1710748366424
t_eq "notify timing out exits 3" 3 "$RC"
t_eq "a notify that timed out after sending leaves one history line" 1 "$(hist_lines)"
t_contains "it is recorded as maybe applied" '"error":"unknown: may have been applied (timed out' "$(tail -n 1 "$OKAYA_HISTORY")"
rm -f "$OKAYA_HISTORY"
run --timeout 1 --max-wait 5 set group 1710748366424 mhci
t_eq "set timing out 3 times exits 3" 3 "$RC"
t_eq "each of the 3 tries that timed out has its history line" 3 "$(hist_lines)"
sandbox_stop
sandbox_start --redirect http://127.0.0.1:9/elsewhere || t_fail "redirecting sandbox starts"
rm -f "$OKAYA_HISTORY"
run set group 1710748366424 mhci
t_eq "set answered 302 exits 3" 3 "$RC"
t_contains "the 302 is in the history" '"status":302' "$(tail -n 1 "$OKAYA_HISTORY" 2>/dev/null)"
t_contains "with where it pointed" 'redirected to http://127.0.0.1:9/elsewhere' "$(tail -n 1 "$OKAYA_HISTORY" 2>/dev/null)"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG
# Nothing sent, nothing recorded: a refused connection is no request.
rm -f "$OKAYA_HISTORY"
"$APP" --base-url http://127.0.0.1:9 notify group 1710748366424 >/dev/null 2>&1
t_eq "a refused connection leaves no history line" 0 "$(hist_lines)"

t_done

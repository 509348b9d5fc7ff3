#!/bin/bash
# Edge cases of the read, notify and history commands, each against a real
# okaya-sandbox (or a tiny server started here).
. "$(dirname "$0")/lib.sh"

cli_env
# run ARGS...: against whichever sandbox runs now.
run() { run_app --base-url "$SANDBOX_URL" "$@"; }
# tiny_start FILE [STATUS]: a one-answer HTTP server (any method, any path)
# answering STATUS (200) with FILE's contents as JSON; sets TINY_URL.
tiny_start() {
  local port_file=$T_TMP/tiny.$RANDOM
  python3 - "$1" "${2:-200}" "$port_file" <<'PY' >/dev/null 2>&1 &
import http.server, sys
body = open(sys.argv[1], "rb").read()
status = int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[3] + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(sys.argv[3] + ".tmp", sys.argv[3])
s.serve_forever()
PY
  TINY_PID=$!
  T_PIDS="$T_PIDS $TINY_PID"
  local i
  for i in $(seq 1 100); do
    [ -f "$port_file" ] && { TINY_URL=http://127.0.0.1:$(cat "$port_file"); return 0; }
    sleep 0.05
  done
  return 1
}
tiny_stop() {
  kill "$TINY_PID" 2>/dev/null; wait "$TINY_PID" 2>/dev/null
  T_PIDS=$(tr ' ' '\n' <<<"$T_PIDS" | grep -vx "$TINY_PID" | tr '\n' ' ')
  true
}
# tiny FILE ARGS...: runs the app against a tiny server answering FILE.
tiny() {
  local f=$1; shift
  tiny_start "$f" || { t_fail "tiny server starts"; return; }
  "$APP" --base-url "$TINY_URL" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  OUT=$(cat "$T_TMP/out") ERR=$(cat "$T_TMP/err")
  tiny_stop
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
t_contains "notify says the email may have gone out" "unknown: may have been applied (timed out" "$ERR"
rm -f "$OKAYA_HISTORY"
run --timeout 1 --max-wait 5 set group 1710748366424 mhci
t_eq "set timing out 3 times exits 3" 3 "$RC"
t_eq "each of the 3 tries that timed out has its history line" 3 "$(hist_lines)"
t_contains "set says it may have been applied" "unknown: may have been applied (timed out" "$ERR"
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

# ---- 3, 5: a 200 without the success body is no success, and says so in history
sandbox_start --malformed || t_fail "malformed sandbox starts"
rm -f "$OKAYA_HISTORY"
run notify group 1710748366424
t_eq "notify answered by a cut 200 exits 3" 3 "$RC"
t_contains "notify says unconfirmed" "unconfirmed: the server answered 200 OK" "$ERR"
t_lacks "notify does not say ok" "ok:" "$OUT"
run --json notify group 1710748366424
t_contains "notify --json says unconfirmed" '"outcome":"unconfirmed"' "$OUT"
t_contains "the history line of an unconfirmed notify says so" '"error":"unconfirmed: 200 OK' "$(head -n 1 "$OKAYA_HISTORY")"
run set group 1710748366424 mhci
t_contains "the history line of an unconfirmed set says so" '"error":"unconfirmed: 200 OK' "$(tail -n 1 "$OKAYA_HISTORY")"
run history
t_contains "history shows the unconfirmed answer" "unconfirmed: 200 OK" "$OUT"
sandbox_stop
sandbox_start --html || t_fail "html sandbox starts"
rm -f "$OKAYA_HISTORY"
run --max-wait 0 set group 1710748366424 mhci
t_contains "the history line of a 502 HTML page gives the summary" '"error":"502 Bad Gateway (text/html body, not JSON)"' "$(tail -n 1 "$OKAYA_HISTORY")"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

# ---- 4: Ctrl-C cancels groups, get and notify (exit 130) ------------------------
sandbox_start --delay-ms 4000 || t_fail "slow sandbox starts"
rm -f "$OKAYA_HISTORY"
for cmd in "groups" "get group 1710748366424" "get participant ok_demo" "notify group 1710748366424"; do
  base=$(sandbox_arrived)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$APP" --base-url "$SANDBOX_URL" $cmd >"$T_TMP/out" 2>"$T_TMP/err" &
  pid=$!
  wait_arrived $((base + 1))
  kill -INT "$pid"
  wait "$pid"
  RC=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  t_eq "Ctrl-C stops $cmd with 130" 130 "$RC"
  t_check "Ctrl-C stops $cmd at once (${ms} ms)" [ "$ms" -lt 2500 ]
  t_contains "$cmd says it was cancelled" "cancelled by Ctrl-C" "$(cat "$T_TMP/err")"
done
t_contains "the cancelled notify says the email may have gone" "the email may or may not have been sent" "$(cat "$T_TMP/err")"
t_contains "the cancelled notify is in the history as maybe applied" "unknown: may have been applied (cancelled)" "$(cat "$OKAYA_HISTORY" 2>/dev/null)"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

sandbox_start --html || t_fail "html sandbox starts"
"$APP" --base-url "$SANDBOX_URL" --max-wait 60 groups >"$T_TMP/out" 2>"$T_TMP/err" &
pid=$!
wait_arrived 1; sleep 0.3
kill -INT "$pid"
wait "$pid"
t_eq "Ctrl-C while waiting to retry groups exits 130" 130 "$?"
t_contains "and says so" "stopped by Ctrl-C while waiting to try again" "$(cat "$T_TMP/err")"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

# ---- 13: output that cannot be written is an error (exit 5) --------------------
run set group 1710748366424 mhci
t_eq "a set for the recent list" 0 "$RC"
for cmd in "groups" "--json groups" "get group 1710748366424" "recent" "history" "--help"; do
  # shellcheck disable=SC2086
  "$APP" --base-url "$SANDBOX_URL" $cmd >/dev/full 2>"$T_TMP/err"
  RC=$?
  t_eq "$cmd > /dev/full exits 5" 5 "$RC"
  t_contains "$cmd > /dev/full says so" "could not write the output" "$(cat "$T_TMP/err")"
done
"$APP" --base-url http://127.0.0.1:9 groups >/dev/full 2>/dev/null
t_eq "a failure keeps its own exit code when stdout is full" 3 "$?"
t_contains "help documents exit 5" "5  the output could not be written" "$("$APP" --help)"

# ---- 7: bad or missing server fields are shown as such, never as real values ---
cat >"$T_TMP/odd.json" <<'JSON'
[{"groupID": 11, "groupName": "NoLevel", "consentRequired": "maybe"},
 {"groupID": 12, "groupName": "Clear", "requestedPrivacyLevel": [], "consentRequired": 1}]
JSON
tiny "$T_TMP/odd.json" groups
t_eq "groups with odd fields exits 0" 0 "$RC"
t_eq "missing level and odd consent are unknown" "11 unknown unknown NoLevel" "$(grep '^11 ' <<<"$OUT" | tr -s ' ')"
t_eq "consentRequired 1 is unknown, [] is none" "12 unknown none Clear" "$(grep '^12 ' <<<"$OUT" | tr -s ' ')"
tiny "$T_TMP/odd.json" --json get group 11
t_contains "get --json: missing level is null" '"flags":null' "$OUT"
t_contains "get --json: odd consent is null" '"consentRequired":null' "$OUT"
cat >"$T_TMP/oddp.json" <<'JSON'
{"externalID": "ok_p", "userGroups": [
 {"groupID": 21, "joinDate": "2024-01-01", "privacyLevel": "high"},
 {"groupID": 22, "joinDate": "2024-01-01", "privacyLevel": 9},
 {"groupID": 23, "joinDate": "2024-01-01", "privacyLevel": 2}]}
JSON
tiny "$T_TMP/oddp.json" get participant ok_p
t_contains "a privacyLevel that is no number is shown as given" '"high" (not a level)' "$OUT"
t_contains "a privacyLevel above 5 gets no inference" "9 (outside the known ladder 0..5)" "$OUT"
t_contains "a privacyLevel on the ladder is inferred" "2 (inferred:" "$OUT"
tiny "$T_TMP/oddp.json" --json get participant ok_p
t_contains "get participant --json keeps the raw privacyLevel" '"privacyLevel":"high","inferredFlags":null' "$OUT"
t_contains "get participant --json infers nothing above 5" '"privacyLevel":9,"inferredFlags":null' "$OUT"

# ---- 10: --json always answers, in one shape ----------------------------------
shape() {  # NAME JSON: the members every result object has
  local m
  for m in '"kind":' '"target":' '"outcome":' '"status":' '"message":' '"error":' '"elapsed_ms":' '"tries":'; do
    t_contains "$1 has $m" "$m" "$2"
  done
}
printf 'not json at all' >"$T_TMP/bad.json"
tiny "$T_TMP/bad.json" --json groups
t_eq "groups --json on a bad body exits 3" 3 "$RC"
shape "groups --json on a bad body" "$OUT"
t_contains "groups --json on a bad body says failed" '"outcome":"failed"' "$OUT"
tiny "$T_TMP/bad.json" --json get group 5
shape "get group --json on a bad body" "$OUT"
t_contains "get group --json on a bad body names the target" '"kind":"group","target":"5"' "$OUT"
tiny "$T_TMP/bad.json" --json get participant ok_p
shape "get participant --json on a bad body" "$OUT"
run --json get group 42
t_eq "get group --json of a missing group exits 1" 1 "$RC"
shape "Group not found" "$OUT"
t_contains "Group not found carries the status" '"status":200' "$OUT"
OKAYA_API_KEY=wrong-key run --json get group 42
t_eq "get group --json with a bad key exits 4" 4 "$RC"
shape "get group 401" "$OUT"
t_contains "get group 401 names the target" '"target":"42"' "$OUT"
run --json get group 1710748366424
shape "get group success" "$OUT"
run --json notify group 1710748366424
shape "notify success" "$OUT"
t_contains "help documents the --json shape" "elapsed_ms and" "$("$APP" --help)"

# ---- 6: a CLI set records the last level sent from here as before ------------
export OKAYA_CONFIG=$T_TMP/cfg6/config.cfg
rm -f "$OKAYA_HISTORY"
run set group 1710748366424 mhci
t_contains "a first set has no before" '"before":null' "$(tail -n 1 "$OKAYA_HISTORY")"
t_lacks "a first set has no beforeSource" 'beforeSource' "$(tail -n 1 "$OKAYA_HISTORY")"
run set group 1710748366424 mhci,transcript
line=$(tail -n 1 "$OKAYA_HISTORY")
t_lacks "the second set knows before" '"before":null' "$line"
t_contains "before says it came from here" '"beforeSource":"here"' "$line"
run history --limit 1
t_contains "history shows where before came from" "[here] ->" "$OUT"
t_contains "history shows the change" "-> mhci,transcript (+transcript)" "$OUT"
run --json history --limit 1
t_contains "history --json carries beforeSource" '"beforeSource":"here"' "$OUT"
export OKAYA_CONFIG=$T_TMP/cfg/config.cfg

# ---- 12: the history table lines up by display width, long cells cut with … ---
python3 - "$T_TMP/h12.jsonl" <<'PY'
import json, sys
ids = ["ok_short", "ok_" + "x" * 60, "ok_日本語のテスト参加者", "1710748366424"]
with open(sys.argv[1], "w") as f:
    for i in ids:
        kind = "group" if i.isdigit() else "participant"
        f.write(json.dumps({"time": "2024-05-01T09:30:00Z", "action": "set", "kind": kind, "id": i,
                            "before": ["mhci", "groupPerecntiles", "transcript", "features"],
                            "beforeSource": "server", "after": ["mhci"], "status": 200,
                            "message": "ANSWERTEXT", "elapsedMs": 1.0, "baseUrl": "http://x"},
                           ensure_ascii=False) + "\n")
PY
OKAYA_HISTORY=$T_TMP/h12.jsonl "$APP" history >"$T_TMP/out" 2>"$T_TMP/err"
t_eq "history table exits 0" 0 "$?"
cols=$(python3 - "$T_TMP/out" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
out = set()
for line in open(sys.argv[1], encoding="utf-8"):
    # The status is right-aligned under HTTP: compare where each ends.
    at_answer = line.rfind("ANSWER")
    at_http = line.find(" 200 ") + 4 if " 200 " in line else line.find("HTTP") + 4
    out.add((width(line[:at_http]), width(line[:at_answer])))
print(len(out), sorted(out))
PY
)
t_contains "every row lines up with the header (HTTP and ANSWER columns)" "1 [" "$cols"
t_contains "a long ID is cut with …" "ok_xxxxxxxxxxxxxxx…" "$(cat "$T_TMP/out")"
t_lacks "a long ID does not spill" "xxxxxxxxxxxxxxxxxxxx" "$(cat "$T_TMP/out")"

# ---- 14: small things -----------------------------------------------------------
mkdir -p "$T_TMP/hdir"
OKAYA_HISTORY=$T_TMP/hdir "$APP" history >/dev/null 2>"$T_TMP/err"
t_eq "a directory as the history exits 3 (not a usage error)" 3 "$?"
t_contains "and says it cannot be read" "cannot read history" "$(cat "$T_TMP/err")"
run history --target ' 1710748366424 '
t_eq "history --target is trimmed like set" 0 "$RC"
t_contains "history --target ' ID ' finds the ID" "1710748366424" "$OUT"
run history --kind group --target 01710748366424
t_contains "history --kind group --target drops leading zeros" "1710748366424" "$OUT"
for mode in --dry-run --curl; do
  run $mode history
  t_eq "history $mode is refused (exit 2)" 2 "$RC"
done
printf '[{"groupID": "", "groupName": "Empty"}]' >"$T_TMP/empty.json"
tiny "$T_TMP/empty.json" groups
t_eq "an empty groupID from the server exits 3" 3 "$RC"
t_contains "it is named as the server's" "the server sent an empty groupID" "$ERR"
t_lacks "not as the input message" "type the group" "$ERR"
printf 'api_key = "k123456789abcdef";\n' >"$T_TMP/k.cfg"; chmod 600 "$T_TMP/k.cfg"
for key in short-k k123456789abcdef; do
  printf '%s\n' "$key" >"$T_TMP/key"; chmod 600 "$T_TMP/key"
  "$APP" --base-url "$SANDBOX_URL" --api-key-file "$T_TMP/key" groups >/dev/null 2>"$T_TMP/err"
  t_contains "a refused key of ${#key} characters shows 8 stars" "the key ********" "$(cat "$T_TMP/err")"
  t_lacks "the mask does not give the length of $key" "*********" "$(cat "$T_TMP/err")"
done

# ---- 8: group keys and the API key never come back through the CLI -----------
printf '{"error": "Bad key demo-key-0123456789 for gk_AbC-12_x9 in group 5"}' >"$T_TMP/echo.json"
tiny_start "$T_TMP/echo.json" 400 || t_fail "tiny server starts"
rm -f "$OKAYA_HISTORY"
OKAYA_API_KEY=demo-key-0123456789 "$APP" --base-url "$TINY_URL" set group 5 mhci >"$T_TMP/out" 2>"$T_TMP/err"
t_eq "an echoing 400 exits 1" 1 "$?"
OKAYA_API_KEY=demo-key-0123456789 "$APP" --base-url "$TINY_URL" --json notify group 5 >>"$T_TMP/out" 2>>"$T_TMP/err"
tiny_stop
all=$(cat "$T_TMP/out" "$T_TMP/err" "$OKAYA_HISTORY")
t_contains "the server's error is still shown" "Bad key" "$all"
t_lacks "the API key is never shown nor recorded" "demo-key-0123456789" "$all"
t_lacks "a group key is never shown nor recorded" "gk_AbC" "$all"
t_lacks "no part of the group key is left" "12_x9" "$all"
printf '[{"groupID": 5, "groupName": "see gk_secret99", "key": "gk_secret99", "requestedPrivacyLevel": []}]' >"$T_TMP/gk.json"
tiny "$T_TMP/gk.json" --json groups
t_lacks "groups --json never shows a group key" "gk_secret99" "$OUT$ERR"

# ---- 2: group IDs beyond 64 bits are refused, never cut to another ID --------
for big in 18446744073709551616 123456789012345678901234567890; do
  printf '[{"groupID": %s, "groupName": "Big", "requestedPrivacyLevel": [], "consentRequired": false}]' \
    "$big" >"$T_TMP/big.json"
  tiny "$T_TMP/big.json" groups
  t_eq "groups with groupID $big exits 3" 3 "$RC"
  t_contains "groups with groupID $big says why" "more than 19 digits" "$ERR"
  t_lacks "groups never shows a clamped ID for $big" "18446744073709551615" "$OUT$ERR"
  printf '{"externalID": "ok_p", "userGroups": [{"groupID": %s, "joinDate": "2024-01-01", "privacyLevel": 1}]}' \
    "$big" >"$T_TMP/bigp.json"
  tiny "$T_TMP/bigp.json" get participant ok_p
  t_eq "get participant with groupID $big exits 3" 3 "$RC"
  t_lacks "get participant never shows a clamped ID for $big" "18446744073709551615" "$OUT$ERR"
done

t_done

#!/bin/bash
# Edge cases of the command line that a demanding user or a hostile server
# hits, each against a real okaya-sandbox: empty FLAGS, rate-limited batches, same-target order,
# unconfirmed 200s, SIGXFSZ, base-URL checks, --json details, sanitising.
. "$(dirname "$0")/lib.sh"

cli_env
# run ARGS...: against whichever sandbox runs now.
run() { run_app --base-url "$SANDBOX_URL" "$@"; }
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

# ---- 1: a rate-limited batch slows down instead of losing lines ---------------
python3 - "$T_TMP" <<'PY'
import json, sys
d = sys.argv[1]
groups = [{"groupID": 700000 + i, "groupName": "G%d" % i, "requestedPrivacyLevel": [],
           "inviteCode": "inv%d" % i, "key": "gk_%d" % i, "consentRequired": "false",
           "credits": 1} for i in range(24)]
json.dump({"enterprises": [{"name": "Many", "apiKey": "demo-key", "groups": groups,
                            "participants": []}]}, open(d + "/many.json", "w"))
open(d + "/many.txt", "w").write("".join("group %d mhci\n" % g["groupID"] for g in groups))
PY
sandbox_start --rate-limit 3 --fixture "$T_TMP/many.json" || t_fail "rate-limited sandbox starts"
run --config "$T_TMP/rl.cfg" --jobs 8 --json batch "$T_TMP/many.txt"
t_eq "rate-limited batch of 24 with --jobs 8 exits 0" 0 "$RC"
t_eq "every line succeeded" 24 "$(printf '%s\n' "$OUT" | grep -c '"outcome":"ok"')"
t_check "the server did rate-limit us" grep -q ' 429' "$SANDBOX_LOG"
max_tries=$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
print(max(json.loads(l)["tries"] for l in sys.stdin))')
t_check "no line needed more than 2 tries (got $max_tries)" test "$max_tries" -le 2
sandbox_stop

# ---- 2: lines for one target are applied in file order ------------------------
sandbox_start --delay-ms 100 || t_fail "slow sandbox starts"
{ for i in 1 2 3 4 5; do echo "group 123456 mhci"; echo "group 1710748366424 all"
  echo "group 123456 transcript"; done; echo "group 123456 features,mhci"; } >"$T_TMP/same.txt"
t0=$(date +%s%N)
run --config "$T_TMP/same.cfg" --jobs 8 batch "$T_TMP/same.txt"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_eq "same-target batch exits 0" 0 "$RC"
level=$(curl -s -H 'x-api-key: demo-key' "$SANDBOX_URL/groups" | python3 -c '
import json, sys
print([",".join(g["requestedPrivacyLevel"]) for g in json.load(sys.stdin) if str(g["groupID"]) == "123456"][0])')
t_eq "the last line for a target wins" "mhci,features" "$level"
# 11 lines for 123456 at 100 ms each, one after another: at least 1.1 s.
t_check "lines for one target went one at a time (${ms} ms)" test "$ms" -ge 1100
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

# ---- 4: parallel runs keep each other's recent entries -------------------------
sandbox_start --fixture "$T_TMP/many.json" || t_fail "many-group sandbox starts"
printf 'timeout = 20;\n' >"$T_TMP/par.cfg"
chmod 600 "$T_TMP/par.cfg"
pids=""
for i in 0 1 2 3 4 5 6 7; do
  "$APP" --config "$T_TMP/par.cfg" --base-url "$SANDBOX_URL" set group $((700000 + i)) mhci \
    >/dev/null 2>&1 & pids="$pids $!"
done
for p in $pids; do wait "$p"; done
run --config "$T_TMP/par.cfg" recent
t_eq "8 parallel sets leave 8 recent entries" 8 "$(printf '%s\n' "$OUT" | grep -c '^group ')"
t_check "a setting in the file survives the parallel saves" grep -q 'timeout = 20' "$T_TMP/par.cfg"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG

# ---- 7, 8: outside text is cleaned before it reaches a terminal or JSON ---------
is_clean() { ! has_unsafe "$1"; }
# has_unsafe FILE: true when FILE holds ESC, a C1 control (as UTF-8), a bidi
# control or invalid UTF-8.
has_unsafe() {
  python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError:
    sys.exit(0)
bad = [c for c in t if (ord(c) < 0x20 and c not in "\n") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
sys.exit(0 if bad else 1)
PY
}
# A server no sandbox imitates: its 400 error carries ESC, C1 CSI, a bidi
# override and an invalid byte (python, answering every request alike).
python3 - "$T_TMP/evil.port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"error":"bad \x1b[2J\xc2\x9b31m \xe2\x80\xaeevil \xff end"}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
T_PIDS="$T_PIDS $!"
for i in $(seq 1 100); do [ -s "$T_TMP/evil.port" ] && break; sleep 0.05; done
EVIL=http://127.0.0.1:$(cat "$T_TMP/evil.port")
"$APP" --config "$T_TMP/evil.cfg" --base-url "$EVIL" set group 123456 mhci >"$T_TMP/out" 2>"$T_TMP/err"
t_eq "a refusal from the odd server exits 1" 1 "$?"
t_contains "its words are still shown" "evil" "$(cat "$T_TMP/err")"
t_check "no control, C1, bidi or bad UTF-8 of the server's reaches stderr" is_clean "$T_TMP/err"
"$APP" --config "$T_TMP/evil.cfg" --base-url "$EVIL" --json set group 123456 mhci >"$T_TMP/out" 2>"$T_TMP/err"
t_check "--json output is valid UTF-8 JSON" python3 -c 'import json,sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$T_TMP/out"
t_check "the history holds valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$OKAYA_HISTORY"

for args in "--x$(printf '\033')[31m" "set gr$(printf '\033')[2Joup 1 mhci" "help $(printf '\302\233')2J" \
            "frob$(printf '\342\200\256')nicate" "--dry-run --base-url http://h$(printf '\342\200\256')/ set group 1 mhci"; do
  # shellcheck disable=SC2086
  "$APP" $args >"$T_TMP/out" 2>"$T_TMP/err"
  cat "$T_TMP/out" >>"$T_TMP/err"
  t_check "argv is not echoed raw: $(printf %q "$args")" is_clean "$T_TMP/err"
done
printf 'recent_groups = ( { id = "123456"; label = "a\342\200\256b\302\233"; } );\n' >"$T_TMP/lab.cfg"
chmod 600 "$T_TMP/lab.cfg"
"$APP" --config "$T_TMP/lab.cfg" recent >"$T_TMP/out" 2>&1
t_contains "recent shows the label" "a?b?" "$(cat "$T_TMP/out")"
printf 'recent_groups = ( { id = "123456"; sent = "2026\033[31m"; } );\n' >"$T_TMP/sent.cfg"
chmod 600 "$T_TMP/sent.cfg"
"$APP" --config "$T_TMP/sent.cfg" recent >"$T_TMP/out" 2>&1
t_check "a bad sent value is not echoed raw" is_clean "$T_TMP/out"

# ---- 10: --json says what really failed, over how many tries ------------------
run --json --curl set group 123456 mhci
t_eq "--json --curl is refused (exit 2)" 2 "$RC"
t_eq "--json --curl prints nothing on stdout" "" "$OUT"
sandbox_start --fail-rate 1 --delay-ms 100 || t_fail "failing sandbox starts"
run --config "$T_TMP/fail.cfg" --json set group 123456 mhci
t_eq "a request that keeps failing with 500 exits 3" 3 "$RC"
read -r tries total err500 <<<"$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(o["tries"], int(o["elapsed_ms"]), "yes" if o["error"].startswith("500 Internal Server Error") and "gave up after 3 tries" in o["error"] else "no:" + o["error"].replace(" ", "_"))')"
t_eq "--json counts the tries" 3 "$tries"
t_check "--json elapsed_ms is the total of 3 tries of 100 ms (${total})" test "$total" -ge 300
t_eq "--json error names the real cause and the give-up" yes "$err500"
sandbox_stop
SANDBOX_URL=$MAIN_URL SANDBOX_LOG=$MAIN_LOG
run --help
t_contains "--help says usage errors stay text on stderr" "validation errors stay plain text on stderr" "$OUT"

# ---- 12: small things ------------------------------------------------------------------
OKAYA_API_KEY=wrong-key-12345 run --config "$T_TMP/w.cfg" set group 123456 mhci
t_eq "a wrong key exits 4" 4 "$RC"
t_contains "the 401 names the key source and shows it masked" "key ********2345 from OKAYA_API_KEY" "$ERR"
t_lacks "the 401 never shows the key" "wrong-key-12345" "$OUT$ERR"
printf 'bad-key-67890\n' >"$T_TMP/bad.key"
chmod 600 "$T_TMP/bad.key"
run --config "$T_TMP/w.cfg" --api-key-file "$T_TMP/bad.key" groups
t_eq "a wrong key from a file exits 4" 4 "$RC"
t_contains "the 401 names the key file" "from --api-key-file $T_TMP/bad.key" "$ERR"
printf 'recent_max = 5;\napi_key = "cfg-key-24680";\n' >"$T_TMP/k.cfg"
chmod 600 "$T_TMP/k.cfg"
OKAYA_API_KEY= run --config "$T_TMP/k.cfg" set group 123456 mhci
t_contains "the 401 names the config file" "key ********4680 from the config file $T_TMP/k.cfg" "$ERR"

printf '\357\273\277group 123456 mhci\n' >"$T_TMP/bom.txt"
run --config "$T_TMP/w.cfg" batch "$T_TMP/bom.txt"
t_eq "a batch file starting with a UTF-8 BOM runs" 0 "$RC"
printf '# nothing here\n\n' >"$T_TMP/empty.txt"
run batch "$T_TMP/empty.txt"
t_eq "an empty batch exits 0" 0 "$RC"
t_eq "an empty batch says so on stderr" "no changes in $T_TMP/empty.txt" "$ERR"

run --api-key-file "$T_TMP" set group 123456 mhci
t_eq "--api-key-file on a directory exits 2" 2 "$RC"
t_contains "--api-key-file on a directory says so" "is a directory" "$ERR"
mkfifo "$T_TMP/key.fifo"
timeout 5 "$APP" --base-url "$SANDBOX_URL" --api-key-file "$T_TMP/key.fifo" set group 123456 mhci \
  >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
t_eq "--api-key-file on a FIFO exits 2 without blocking" 2 "$RC"
t_contains "--api-key-file on a FIFO: not a regular file" "not a regular file" "$(cat "$T_TMP/err")"

t_done

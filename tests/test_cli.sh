#!/bin/bash
# The command line, one change at a time, against a real okaya-sandbox:
# every command, option and exit code of `set`, `recent`, `help`.
. "$(dirname "$0")/lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
MAIN_URL=$SANDBOX_URL MAIN_LOG=$SANDBOX_LOG

cli_env
run() { run_app "$@"; }
# posts LOG: POST requests the sandbox has logged (after a moment to flush).
posts() { sleep 0.1; grep -c 'POST' "${1:-$MAIN_LOG}"; }
# group_level ID: the group's requested level as GET /groups reports it.
group_level() {
  curl -s -H 'x-api-key: demo-key' "$MAIN_URL/groups" | python3 -c '
import json, sys
for g in json.load(sys.stdin):
    if str(g["groupID"]) == sys.argv[1]:
        print(",".join(g["requestedPrivacyLevel"]) or "none")' "$1"
}

# ---- help, version, usage --------------------------------------------------
run --version
t_eq "--version exits 0" 0 "$RC"
t_contains "--version names the tool" "okaya-privacy 0." "$OUT"
run --help
t_eq "--help exits 0" 0 "$RC"
t_contains "--help lists set" "set group ID FLAGS" "$OUT"
t_contains "--help lists batch" "batch FILE|-" "$OUT"
t_contains "--help documents exit status" "4  not authorised" "$OUT"
t_contains "--help lists the flags" "groupPerecntiles" "$OUT"
run help batch
t_eq "help batch exits 0" 0 "$RC"
t_contains "help batch explains Retry-After" "Retry-After" "$OUT"
run set --help
t_contains "set --help is the set help" "okaya-privacy set group|participant" "$OUT"
run help nosuch
t_eq "help of an unknown command exits 2" 2 "$RC"
run frobnicate
t_eq "unknown command exits 2" 2 "$RC"
run --frobnicate set group 1 none
t_eq "unknown option exits 2" 2 "$RC"
run --api-key=topsecret99 set group 123456 mhci
t_eq "--api-key is refused" 2 "$RC"
t_lacks "--api-key's value is not echoed" "topsecret99" "$OUT$ERR"
t_contains "--api-key refusal says where the key goes" "--api-key-file" "$ERR"
run --apikey=topsecret99 recent
t_lacks "an unknown option's value is not echoed" "topsecret99" "$OUT$ERR"
run --jobs 0 set group 1 none
t_eq "--jobs 0 exits 2" 2 "$RC"
run --jobs 65 set group 1 none
t_eq "--jobs 65 exits 2" 2 "$RC"
run --timeout abc set group 1 none
t_eq "--timeout abc exits 2" 2 "$RC"
run --group 123456 set group 123456 none
t_eq "--group with a command exits 2" 2 "$RC"
t_eq "nothing sent by usage errors" 0 "$(posts)"

# ---- set: invalid input sends nothing ---------------------------------------
run --base-url "$MAIN_URL" set group abc mhci
t_eq "non-numeric group ID exits 2" 2 "$RC"
t_contains "non-numeric group ID: the server's words" "groupID must be a number" "$ERR"
run --base-url "$MAIN_URL" set group 123456 mhci,bogus
t_eq "unknown flag exits 2" 2 "$RC"
t_contains "unknown flag is named" "bogus" "$ERR"
run --base-url "$MAIN_URL" set group 123456
t_eq "missing flags exits 2" 2 "$RC"
run --base-url "$MAIN_URL" set team 123456 mhci
t_eq "unknown kind exits 2" 2 "$RC"
t_eq "invalid input sent nothing" 0 "$(posts)"

# ---- set: success ---------------------------------------------------------------
run --base-url "$MAIN_URL" set group 123456 mhci,transcript
t_eq "set group exits 0" 0 "$RC"
t_contains "set group reports success" "ok: group 123456 <- mhci,transcript: 200" "$OUT"
t_eq "the server has the group's new level" "mhci,transcript" "$(group_level 123456)"
run --base-url "$MAIN_URL" set group 1710748366424 "groupPercentiles," features
t_eq "flags split over words, alias spelling: exit 0" 0 "$RC"
t_eq "the server got the API's spelling" "groupPerecntiles,features" "$(group_level 1710748366424)"
run --base-url "$MAIN_URL" -q set participant ok_participant1 all
t_eq "set participant exits 0" 0 "$RC"
t_eq "--quiet prints nothing on success" "" "$OUT$ERR"

# ---- set: refusals and failures --------------------------------------------------
run --base-url "$MAIN_URL" set group 999999 mhci
t_eq "another enterprise's group exits 1" 1 "$RC"
t_contains "the server's error string is printed" "Group doesn't exist in associated groups" "$ERR"
run --base-url "$MAIN_URL" set participant nobody_here mhci
t_eq "unknown participant exits 1" 1 "$RC"
t_contains "Participant not found is printed" "Participant not found" "$ERR"
t_contains "a hint for IDs without ok_" "usually begin with ok_" "$ERR"
last=$(tail -n 1 "$OKAYA_HISTORY" | python3 -c '
import json, sys
h = json.loads(sys.stdin.read())
print(h["action"], h["kind"], h["id"], h["status"], h["error"], h["after"])')
t_eq "the history records a refusal" "set participant nobody_here 400 Participant not found ['mhci']" "$last"
t_eq "the history records each answered set" 5 "$(wc -l <"$OKAYA_HISTORY")"
n_before=$(posts)
OKAYA_API_KEY=zz-wrong-key-zz run --base-url "$MAIN_URL" set group 123456 none
t_eq "wrong key exits 4" 4 "$RC"
t_lacks "the wrong key is not shown" "zz-wrong-key-zz" "$OUT$ERR"
t_eq "401 is not retried" $((n_before + 1)) "$(posts)"
OKAYA_API_KEY= run --base-url "$MAIN_URL" set group 123456 none
t_eq "no key exits 4" 4 "$RC"
t_contains "no key: says the config path" "$OKAYA_CONFIG" "$ERR"
t_contains "no key: mentions OKAYA_API_KEY" "OKAYA_API_KEY" "$ERR"
t_contains "no key: mentions --api-key-file" "--api-key-file" "$ERR"
run --base-url http://127.0.0.1:9 set group 123456 none
t_eq "connection refused exits 3" 3 "$RC"
t_contains "connection refused is said in words" "refused" "$ERR"

# ---- --api-key-file ------------------------------------------------------------------
printf '  demo-key\n' >"$T_TMP/key"; chmod 600 "$T_TMP/key"
OKAYA_API_KEY= run --base-url "$MAIN_URL" --api-key-file "$T_TMP/key" set group 123456 none
t_eq "--api-key-file (trimmed) works" 0 "$RC"
t_lacks "a private key file gets no warning" "readable" "$ERR"
chmod 644 "$T_TMP/key"
OKAYA_API_KEY= run --base-url "$MAIN_URL" --api-key-file "$T_TMP/key" set group 123456 none
t_contains "a world-readable key file is warned about" "chmod 600" "$ERR"
run --base-url "$MAIN_URL" --api-key-file "$T_TMP/nonexistent" set group 123456 none
t_eq "a missing key file exits 2" 2 "$RC"
printf 'bad\rkey\n' >"$T_TMP/key2"; chmod 600 "$T_TMP/key2"
run --base-url "$MAIN_URL" --api-key-file "$T_TMP/key2" set group 123456 none
t_eq "a key file with CR inside exits 2" 2 "$RC"
t_lacks "that key is not echoed" "bad" "$ERR"

# ---- --json ---------------------------------------------------------------------------
run --base-url "$MAIN_URL" --json set group 123456 mhci
t_eq "--json set exits 0" 0 "$RC"
shape=$(printf '%s' "$OUT" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["kind"], o["target"], o["flags"], o["status"], o["message"], o["error"], o["outcome"],
      isinstance(o["elapsed_ms"], float))')
t_eq "--json object shape" "group 123456 ['mhci'] 200 success None ok True" "$shape"
run --base-url "$MAIN_URL" --json set participant nobody_here none
t_eq "--json refusal exits 1" 1 "$RC"
shape=$(printf '%s' "$OUT" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["status"], o["error"], o["outcome"], o["message"])')
t_eq "--json refusal carries the error" "400 Participant not found refused None" "$shape"

# ---- --dry-run and --curl send nothing -------------------------------------------------
n_before=$(posts)
OKAYA_API_KEY= run --base-url "$MAIN_URL/" --dry-run set participant "it's a b/c" mhci
t_eq "--dry-run exits 0 without a key" 0 "$RC"
t_eq "--dry-run prints the request" \
  "POST $MAIN_URL/configure/participants/it%27s%20a%20b%2Fc/privacy {\"requestedPrivacyLevel\":[\"mhci\"]}" "$OUT"
run --base-url "$MAIN_URL" --curl set participant "it's a b/c" mhci,transcript
t_eq "--curl exits 0" 0 "$RC"
t_contains "--curl names the variable" '"x-api-key: $OKAYA_API_KEY"' "$OUT"
t_lacks "--curl never prints the key" "demo-key" "$OUT$ERR"
t_eq "--dry-run and --curl sent nothing" "$n_before" "$(posts)"
# The printed command is real: run it, the sandbox sees the same one-segment ID.
answer=$(OKAYA_API_KEY=demo-key bash -c "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"])')
t_eq "the --curl command reaches the server" "Participant not found" "$answer"
t_contains "the --curl command sends the encoded ID" "it%27s%20a%20b%2Fc" "$(tail -n 3 "$MAIN_LOG")"
run --base-url "$MAIN_URL" --curl set group 123456 features
OKAYA_API_KEY=demo-key bash -c "$OUT" >/dev/null
t_eq "the --curl command for a group works" "features" "$(group_level 123456)"
run --base-url "$MAIN_URL" --dry-run --json set group 123456 none
shape=$(printf '%s' "$OUT" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["method"], o["url"].endswith("/configure/groups/123456/privacy"), o["body"])')
t_eq "--dry-run --json shape" "POST True {'requestedPrivacyLevel': []}" "$shape"

# ---- recent -------------------------------------------------------------------------------
run --base-url "$MAIN_URL" set participant ok_participant2 userPercentiles
sleep 1.1   # distinct timestamps (seconds)
run --base-url "$MAIN_URL" set group 1710748366424 mhci
run recent
t_eq "recent exits 0" 0 "$RC"
first=$(printf '%s\n' "$OUT" | sed -n 2p)
t_contains "recent: most recent first" "1710748366424" "$first"
t_contains "recent: the level sent" "mhci" "$first"
t_contains "recent lists participants too" "ok_participant2" "$OUT"
t_lacks "failed targets are not recent" "nobody_here" "$OUT"
run --json recent
shape=$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print(rows[0]["kind"], rows[0]["target"], rows[0]["flags"], rows[0]["when"].endswith("Z"), len(rows))')
t_eq "recent --json" "group 1710748366424 ['mhci'] True 4" "$shape"
t_lacks "the config never holds the env key" "demo-key" "$(cat "$OKAYA_CONFIG")"
run recent extra
t_eq "recent with an argument exits 2" 2 "$RC"
OKAYA_CONFIG=$T_TMP/empty/config.cfg run recent
t_eq "recent with no config exits 0" 0 "$RC"
t_contains "recent with nothing says so" "no recent targets" "$ERR"

# ---- failures that take time: 5xx, timeout ------------------------------------------
sandbox_start --fail-rate 1 --seed 7 || t_fail "fault sandbox starts"
run --base-url "$SANDBOX_URL" set group 123456 mhci
t_eq "5xx exits 3" 3 "$RC"
t_contains "5xx says so" "500" "$ERR"
t_eq "5xx is tried 3 times" 3 "$(posts "$SANDBOX_LOG")"
sandbox_stop
sandbox_start --delay-ms 2500 || t_fail "slow sandbox starts"
run --base-url "$SANDBOX_URL" --timeout 1 set group 123456 mhci
t_eq "timeout exits 3" 3 "$RC"
t_contains "timeout says so" "timed out" "$ERR"
sandbox_stop

# ---- the key never shows ----------------------------------------------------------------
t_lacks "no output of this suite held the key" "demo-key" "$(cat "$T_TMP/all")"
t_lacks "the history never holds the key" "demo-key" "$(cat "$OKAYA_HISTORY")"
t_done

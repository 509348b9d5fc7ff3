#!/bin/bash
# The command line's reads and review emails against a real okaya-sandbox:
# groups, get group|participant, notify, history (issue 5).
. "$(dirname "$0")/lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
MAIN_URL=$SANDBOX_URL

cli_env
# The history in a directory of its own (some checks create it); the
# sandbox through the environment.
export OKAYA_HISTORY=$T_TMP/state/history.jsonl OKAYA_BASE_URL=$MAIN_URL
unset XDG_STATE_HOME
run() { run_app "$@"; }
# py CODE: runs python over stdin (the JSON at hand).
py() { local c=$1; shift; python3 -c "import json, sys
$c" "$@"; }
# server_level ID: the group's requested level as GET /groups has it now.
server_level() {
  curl -s -H 'x-api-key: demo-key' "$MAIN_URL/groups" | py '
for g in json.load(sys.stdin):
    if str(g["groupID"]) == sys.argv[1]:
        print(",".join(g["requestedPrivacyLevel"]) or "none")' "$1"
}
# emails KIND ID: privacyRequest emails the sandbox has counted for a target.
emails() {
  curl -s "$MAIN_URL/_sandbox/state" | py '
kind, tid = sys.argv[1], sys.argv[2]
for e in json.load(sys.stdin)["enterprises"]:
    for t in e["groups" if kind == "group" else "participants"]:
        if str(t["groupID" if kind == "group" else "externalID"]) == tid:
            print(t["emailsSent"]["privacyRequest"])' "$1" "$2"
}

# ---- groups --------------------------------------------------------------------
run groups
t_eq "groups exits 0" 0 "$RC"
t_contains "groups: the 13-digit ID intact" "1710748366424" "$OUT"
t_contains "groups: names" "Night shift" "$OUT"
t_contains "groups: the requested level" "mhci" "$(printf '%s\n' "$OUT" | grep 123456)"
t_lacks "groups: no group key" "gk_fixture" "$OUT$ERR"
t_lacks "groups: no invite code" "654321gfedcba" "$OUT$ERR"
run --json groups
t_eq "groups --json exits 0" 0 "$RC"
rows=$(printf '%s\n' "$OUT" | py '
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print(len(rows), " ".join(r["target"] for r in rows), rows[1]["flags"], rows[1]["consentRequired"],
      sorted(rows[0]))')
t_eq "groups --json rows (IDs as strings, no key field)" \
  "2 1710748366424 123456 ['mhci'] True ['consentRequired', 'flags', 'kind', 'name', 'target']" "$rows"
t_lacks "groups --json: no group key" "gk_fixture" "$OUT"
run groups extra
t_eq "groups with an argument exits 2" 2 "$RC"
OKAYA_API_KEY=other-key run groups
t_contains "another key sees its own groups" "999999" "$OUT"
t_lacks "and not ours" "123456" "$OUT"
OKAYA_API_KEY=zz-wrong-key-zz run groups
t_eq "groups with a wrong key exits 4" 4 "$RC"
t_lacks "the wrong key is not shown" "zz-wrong-key-zz" "$OUT$ERR"
OKAYA_API_KEY= run groups
t_eq "groups with no key exits 4" 4 "$RC"
run --curl groups
t_eq "groups --curl exits 0" 0 "$RC"
t_eq "groups --curl answers like GET /groups" "2" \
  "$(bash -c "$OUT" | py 'print(len(json.load(sys.stdin)))')"

# ---- get group ------------------------------------------------------------------
run set group 123456 mhci,transcript
t_eq "set before get exits 0" 0 "$RC"
run get group 123456
t_eq "get group exits 0" 0 "$RC"
t_contains "get group: the server's level" "requested level    $(server_level 123456)" "$OUT"
t_contains "get group: marked as the server's" "the server's" "$OUT"
t_contains "get group: consent" "consent required   yes" "$OUT"
t_contains "get group: the last level sent from here" "last sent from this machine: mhci,transcript" "$OUT"
run --json get group 1710748366424
shape=$(printf '%s' "$OUT" | py '
o = json.loads(sys.stdin.read())
print(o["target"], o["name"], o["flags"], o["consentRequired"], o["lastSentFromHere"])')
t_eq "get group --json" "1710748366424 Pilot cohort [] False None" "$shape"
curl -s -X POST -H 'x-api-key: demo-key' -H 'Content-Type: application/json' \
  -d '{"requestedPrivacyLevel":["features","groupPerecntiles"]}' \
  "$MAIN_URL/configure/groups/1710748366424/privacy" >/dev/null
run --json get group 1710748366424
t_eq "get group follows a change made elsewhere" "['groupPerecntiles', 'features']" \
  "$(printf '%s' "$OUT" | py 'print(json.loads(sys.stdin.read())["flags"])')"
run get group 999999
t_eq "another enterprise's group exits 1" 1 "$RC"
t_contains "it says Group not found" "Group not found" "$ERR"
run --json get group 424242
t_eq "get of an unknown group --json exits 1" 1 "$RC"
t_eq "its --json error" "refused Group not found" \
  "$(printf '%s' "$OUT" | py 'o = json.loads(sys.stdin.read()); print(o["outcome"], o["error"])')"
run get group abc
t_eq "get group abc exits 2" 2 "$RC"
t_contains "with the server's wording" "groupID must be a number" "$ERR"
run get team 1
t_eq "get of an unknown kind exits 2" 2 "$RC"
run get group
t_eq "get without an ID exits 2" 2 "$RC"

# ---- get participant -------------------------------------------------------------
run get participant ok_participant1
t_eq "get participant exits 0" 0 "$RC"
row=$(printf '%s\n' "$OUT" | grep '^1710748366424')
t_contains "the join date" "2024-03-18T08:06:06Z" "$row"
t_contains "privacyLevel as the API gives it, flags marked inferred" "2 (inferred: mhci,groupPerecntiles)" "$row"
t_contains "the group's name from GET /groups" "Pilot cohort" "$row"
t_contains "requested level: not readable, said so" "not readable through the API" "$OUT"
t_contains "nothing sent from here yet" "never sent from this machine" "$OUT"
run set participant ok_participant1 transcript
run --json get participant ok_participant1
shape=$(printf '%s' "$OUT" | py '
o = json.loads(sys.stdin.read())
g = o["groups"]
print(len(g), g[0]["groupID"], g[0]["privacyLevel"], g[0]["inferredFlags"], g[1]["name"],
      o["lastSentFromHere"]["flags"])')
t_eq "get participant --json" "2 1710748366424 2 ['mhci', 'groupPerecntiles'] Night shift ['transcript']" "$shape"
run get participant "ok/../x"
t_eq "an ID with a slash and dots is one segment" 0 "$RC"
t_contains "and is found" "2024-04-01T12:00:00Z" "$OUT"
run get participant nobody_here
t_eq "unknown participant exits 1" 1 "$RC"
t_contains "Participant not found is printed" "Participant not found" "$ERR"
OKAYA_API_KEY=other-key run get participant ok_participant1
t_eq "another enterprise's participant exits 1" 1 "$RC"
run --dry-run get participant ok_participant1
t_eq "get --dry-run prints the reads" "GET $MAIN_URL/participants/ok_participant1
GET $MAIN_URL/groups" "$OUT"

# ---- notify -----------------------------------------------------------------------
lines_before=$(wc -l <"$OKAYA_HISTORY")
before=$(emails group 123456)
run notify group 123456
t_eq "notify group exits 0" 0 "$RC"
t_contains "notify says what was sent" "ok: privacyRequest email to group 123456: 200" "$OUT"
t_eq "the sandbox counted one privacyRequest" $((before + 1)) "$(emails group 123456)"
run --json notify participant ok_participant2
t_eq "notify participant --json exits 0" 0 "$RC"
t_eq "notify --json shape" "participant ok_participant2 privacyRequest ok 200 success" \
  "$(printf '%s' "$OUT" | py 'o = json.loads(sys.stdin.read()); print(o["kind"], o["target"], o["emailType"], o["outcome"], o["status"], o["message"])')"
t_eq "the participant's email was counted" 1 "$(emails participant ok_participant2)"
run notify group 999999
t_eq "notify another key's group exits 1" 1 "$RC"
t_contains "with the exact server error" "Group doesn't exist in associated groups" "$ERR"
run notify participant nobody_here
t_eq "notify an unknown participant exits 1" 1 "$RC"
t_contains "Participant not found" "Participant not found" "$ERR"
OKAYA_API_KEY=zz-wrong-key-zz run notify group 123456
t_eq "notify with a wrong key exits 4" 4 "$RC"
run --base-url http://127.0.0.1:9 notify group 123456
t_eq "notify with no server exits 3" 3 "$RC"
n=$(emails group 123456)
run --dry-run notify group 123456
t_eq "notify --dry-run prints the request" \
  "POST $MAIN_URL/interact/groups/123456/email {\"emailType\":\"privacyRequest\"}" "$OUT"
run --curl notify participant "it's b/c"
t_contains "notify --curl names the key variable" '"x-api-key: $OKAYA_API_KEY"' "$OUT"
t_contains "notify --curl encodes the ID as one segment" "/interact/participants/it%27s%20b%2Fc/email" "$OUT"
t_eq "--dry-run and --curl sent no email" "$n" "$(emails group 123456)"
run notify group 12x
t_eq "notify with a bad ID exits 2" 2 "$RC"
run notify group 123456 extra
t_eq "notify with too many words exits 2" 2 "$RC"
# Answered: the four above (ok, ok, 400, 400) and the 401; not the refused connection.
t_eq "each answered notify wrote one history line" $((lines_before + 5)) "$(wc -l <"$OKAYA_HISTORY")"

# ---- the history file --------------------------------------------------------------
t_eq "the history file is private" 600 "$(stat -c %a "$OKAYA_HISTORY")"
t_lacks "the history never holds the key" "demo-key" "$(cat "$OKAYA_HISTORY")"
t_lacks "nor the wrong one" "zz-wrong-key-zz" "$(cat "$OKAYA_HISTORY")"
last=$(grep '"notify"' "$OKAYA_HISTORY" | grep '999999' | py '
h = json.loads(sys.stdin.readline())
print(h["action"], h["kind"], h["id"], h["emailType"], h["status"], h["error"], "after" in h)')
t_eq "a notify line" "notify group 999999 privacyRequest 400 Group doesn't exist in associated groups False" "$last"
first=$(head -n 1 "$OKAYA_HISTORY" | py '
h = json.loads(sys.stdin.readline())
print(h["action"], h["kind"], h["id"], h["after"], h["status"], h["message"])')
t_eq "a set line" "set group 123456 ['mhci', 'transcript'] 200 success" "$first"

# ---- history command ---------------------------------------------------------------
run history
t_eq "history exits 0" 0 "$RC"
t_contains "history has a header" "ACTION" "$(printf '%s\n' "$OUT" | head -n 1)"
t_contains "newest first" "notify  group        123456" "$(printf '%s\n' "$OUT" | sed -n 2p)"
t_contains "its answer" "401" "$(printf '%s\n' "$OUT" | sed -n 2p)"
t_contains "the oldest last" "set     group        123456" "$(printf '%s\n' "$OUT" | tail -n 1)"
run --json history
t_eq "history --json: one object per line, all of them" "$(wc -l <"$OKAYA_HISTORY")" \
  "$(printf '%s\n' "$OUT" | py 'print(sum(1 for l in sys.stdin if json.loads(l)))')"
run history --target 999999 --json
t_eq "--target keeps that ID only" "999999" \
  "$(printf '%s\n' "$OUT" | py 'print(" ".join(sorted(set(json.loads(l)["id"] for l in sys.stdin))))')"
run history --kind participant --json
t_eq "--kind keeps that kind only" "participant" \
  "$(printf '%s\n' "$OUT" | py 'print(" ".join(sorted(set(json.loads(l)["kind"] for l in sys.stdin))))')"
run history --limit 2 --json
t_eq "--limit 2: the newest two" "2 notify notify" \
  "$(printf '%s\n' "$OUT" | py 'r = [json.loads(l) for l in sys.stdin]; print(len(r), r[0]["action"], r[1]["action"])')"
run history --target nobody_seen
t_eq "a target with no lines exits 0" 0 "$RC"
t_contains "and says so" "no history for this filter" "$ERR"
run history --kind team
t_eq "--kind team exits 2" 2 "$RC"
run history --limit 0
t_eq "--limit 0 exits 2" 2 "$RC"
run groups --target 123456
t_eq "--target with another command exits 2" 2 "$RC"
n=$(wc -l <"$OKAYA_HISTORY")
printf 'not json at all\n{"action":"set"}\n' >>"$OKAYA_HISTORY"
run history --json
t_eq "corrupt lines are not fatal" 0 "$RC"
t_contains "they are counted on stderr" "2 corrupt lines skipped" "$ERR"
t_eq "the good lines are all there" "$n" "$(printf '%s\n' "$OUT" | grep -c '^{')"
run set group 123456 none
run history --limit 1
t_contains "lines after the corrupt ones are read" "-> none" "$OUT"
OKAYA_HISTORY=$T_TMP/none/history.jsonl run history
t_eq "no history file yet exits 0" 0 "$RC"
t_contains "and says so" "no history yet" "$ERR"

# ---- every try that reached the server is recorded, retries included ------------
sandbox_start --fail-rate 1 --seed 7 || t_fail "fault sandbox starts"
n=$(wc -l <"$OKAYA_HISTORY")
run --base-url "$SANDBOX_URL" set group 123456 mhci
t_eq "5xx set exits 3" 3 "$RC"
t_eq "each of its 3 tries has a history line" "500 500 500" \
  "$(tail -n 3 "$OKAYA_HISTORY" | py 'print(" ".join(str(json.loads(l)["status"]) for l in sys.stdin))')"
run --base-url "$SANDBOX_URL" notify group 123456
t_eq "5xx notify exits 3" 3 "$RC"
t_eq "notify is not retried: one line" $((n + 4)) "$(wc -l <"$OKAYA_HISTORY")"
run --base-url "$SANDBOX_URL" get group 123456
t_eq "5xx get exits 3 (after retries)" 3 "$RC"
t_eq "reads write no history" $((n + 4)) "$(wc -l <"$OKAYA_HISTORY")"
sandbox_stop

# ---- help -----------------------------------------------------------------------------
run --help
t_contains "--help lists groups" "groups" "$OUT"
t_contains "--help lists notify" "notify group|participant ID" "$OUT"
for c in groups get notify history; do
  run help $c
  t_eq "help $c exits 0" 0 "$RC"
done
run help history
t_contains "help history names the file" "history.jsonl" "$OUT"

# ---- the key never shows --------------------------------------------------------------
t_lacks "no output held the key" "demo-key" "$(cat "$T_TMP/all")"
t_lacks "no output held a group key" "gk_fixture" "$(cat "$T_TMP/all")"
t_done

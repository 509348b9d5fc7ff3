#!/bin/bash
# okaya-sandbox over real HTTP with curl: every documented answer of the
# contract, raw-path routing, the fault switches, the debug endpoints, and
# that no API key ever reaches the log.
. "$(dirname "$0")/lib.sh"

KEY=demo-key
WRONG_KEY=wrong-key-7f3a9c
MISSING_LEVEL='You are missing the body parameter requestedPrivacyLevel'
INVALID_LEVEL="Invalid requestedPrivacyLevel. Should be an array with elements in ['mhci', 'groupPerecntiles', 'userPercentiles', 'transcript', 'features']."
INVALID_EMAIL="Invalid email type. Should be one of ['checkinReminder', 'privacyRequest']."

# req METHOD PATH [BODY [KEY [CONTENT-TYPE]]]: sets STATUS, BODY, CTYPE, HDRS.
# KEY "-" sends no key; BODY "-" sends no body. The path goes out as is.
req() {
  local method=$1 path=$2 body=${3--} key=${4-$KEY} ctype=${5-application/json}
  local args=(-s --path-as-is -X "$method" -o "$T_TMP/body" -D "$T_TMP/hdrs"
              -w '%{http_code} %{content_type}')
  [ "$key" != - ] && args+=(-H "x-api-key: $key")
  [ -n "$ctype" ] && args+=(-H "Content-Type: $ctype")
  [ "$body" != - ] && args+=(--data-binary "$body")
  local out; out=$(curl "${args[@]}" "$SANDBOX_URL$path")
  STATUS=${out%% *}
  CTYPE=${out#* }
  BODY=$(cat "$T_TMP/body")
  HDRS=$(tr -d '\r' <"$T_TMP/hdrs")
}

# expect NAME STATUS BODY: the last req's status and exact body.
expect() {
  t_eq "$1: status" "$2" "$STATUS"
  t_eq "$1: body" "$3" "$BODY"
}
err() { printf '{"error":"%s"}' "$1"; }
OK='{"message":"success"}'
level() { printf '{"requestedPrivacyLevel":%s}' "$1"; }

sandbox_start || exit 1
t_contains "first line names the URL" "okaya-sandbox listening on http://127.0.0.1:" "$(head -n 1 "$SANDBOX_LOG")"

# ---- POST /configure/groups/{groupID}/privacy ------------------------------
req POST /configure/groups/1710748366424/privacy "$(level '["mhci","transcript"]')"
expect "group privacy: success" 200 "$OK"
t_eq "group privacy: JSON content type" "application/json" "$CTYPE"
req POST /configure/groups//privacy "$(level '[]')"
expect "group privacy: empty groupID" 400 "$(err 'You are missing the path parameter groupID')"
req POST /configure/groups/12a4/privacy "$(level '[]')"
expect "group privacy: groupID not digits" 400 "$(err 'groupID must be a number')"
req POST /configure/groups/-5/privacy "$(level '[]')"
expect "group privacy: negative groupID" 400 "$(err 'groupID must be a number')"
req POST /configure/groups/5/privacy "$(level '[]')"
expect "group privacy: unknown group" 400 "$(err 'Group not found')"
req POST /configure/groups/999999/privacy "$(level '[]')"
expect "group privacy: other enterprise's group" 400 "$(err "Group doesn't exist in associated groups")"
req POST /configure/groups/123456/privacy
expect "group privacy: no body" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/groups/123456/privacy '{"requestedPrivacyLevel": ['
expect "group privacy: body not JSON" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/groups/123456/privacy '{"level":[]}'
expect "group privacy: body without the key" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/groups/123456/privacy "$(level '[]')" "$KEY" ""
expect "group privacy: no JSON content type means no body" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/groups/123456/privacy "$(level '"mhci"')"
expect "group privacy: level not an array" 400 "$(err "$INVALID_LEVEL")"
req POST /configure/groups/123456/privacy "$(level '["groupPercentiles"]')"
expect "group privacy: correct spelling is refused" 400 "$(err "$INVALID_LEVEL")"
req POST /configure/groups/123456/privacy "$(level '["mhci",3]')"
expect "group privacy: non-string element" 400 "$(err "$INVALID_LEVEL")"
req POST /configure/groups/5/privacy '{}'
expect "group privacy: body checked before lookup" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/groups/123456/privacy "$(level '["mhci","groupPerecntiles","userPercentiles","transcript","features"]')"
expect "group privacy: all five wire flags" 200 "$OK"
req POST /configure/groups/0123456/privacy "$(level '[]')"
expect "group privacy: leading zeros name the same group" 200 "$OK"

# ---- POST /configure/participants/{externalID}/privacy ---------------------
req POST /configure/participants/ok_participant1/privacy "$(level '["userPercentiles"]')"
expect "participant privacy: success" 200 "$OK"
req POST /configure/participants//privacy "$(level '[]')"
expect "participant privacy: empty externalID" 400 "$(err 'You are missing the path parameter externalID')"
req POST /configure/participants/ok_nobody/privacy "$(level '[]')"
expect "participant privacy: unknown" 400 "$(err 'Participant not found')"
req POST /configure/participants/ok_other1/privacy "$(level '[]')"
expect "participant privacy: other enterprise's" 400 "$(err 'Participant not found')"
req POST /configure/participants/ok_participant1/privacy '[]'
expect "participant privacy: body not an object" 400 "$(err "$MISSING_LEVEL")"
req POST /configure/participants/ok_participant1/privacy "$(level '{"a":1}')"
expect "participant privacy: invalid level" 400 "$(err "$INVALID_LEVEL")"
req POST /configure/participants/ok%00/privacy "$(level '[]')"
expect "participant privacy: decoded NUL is not found" 400 "$(err 'Participant not found')"

# Raw-path routing: the encoded slashes stay inside one ID.
req POST /configure/participants/ok%2F..%2Fx/privacy "$(level '["features"]')"
expect "raw path: ok%2F..%2Fx is one participant" 200 "$OK"
req GET /participants/ok%2F..%2Fx
t_contains "raw path: GET decodes the segment" '"externalID":"ok/../x"' "$BODY"
req POST /configure/participants/ok%2Fparticipant1/privacy "$(level '[]')"
expect "raw path: encoded slash is not a separator" 400 "$(err 'Participant not found')"
req POST /configure/participants/ok/participant1/privacy "$(level '[]')"
expect "raw path: a real slash is another path" 404 "$(err 'Not found')"
req POST /configure/participants/%6Fk_participant2/privacy "$(level '[]')"
expect "raw path: any escape decodes" 200 "$OK"

# ---- GET /groups -----------------------------------------------------------
req GET /groups
t_eq "groups: status" 200 "$STATUS"
t_contains "groups: 13-digit groupID as a JSON integer" '"groupID":1710748366424,' "$BODY"
t_contains "groups: level set above is read back" '"requestedPrivacyLevel":["mhci","transcript"]' "$BODY"
t_contains "groups: consentRequired is a string" '"consentRequired":"true"' "$BODY"
t_contains "groups: fields" '"groupName":"Night shift","requestedPrivacyLevel":[],"inviteCode":"654321gfedcba","key":"gk_fixturenight0002","consentRequired":"true","credits":0' "$BODY"
t_lacks "groups: only the key's enterprise" '999999' "$BODY"
req GET /groups "" other-key
t_contains "groups: other key sees its group" '"groupID":999999' "$BODY"

# ---- GET /participants/{externalID} ----------------------------------------
req GET /participants/ok_participant2
expect "participant get: success" 200 '{"externalID":"ok_participant2","userGroups":[{"externalID":"ok_participant2","groupID":123456,"joinDate":"2024-02-12T21:30:00Z","privacyLevel":1}]}'
req GET /participants/
expect "participant get: empty externalID" 400 "$(err 'You are missing the path parameter externalID')"
req GET /participants/ok_nobody
expect "participant get: unknown" 400 "$(err 'Participant not found')"
req GET /participants/ok_other1
expect "participant get: other enterprise's" 400 "$(err 'Participant not found')"

# ---- email -----------------------------------------------------------------
req POST /interact/groups/123456/email '{"emailType":"privacyRequest"}'
expect "group email: success" 200 "$OK"
req POST /interact/groups/123456/email '{"emailType":"checkinReminder"}'
expect "group email: checkinReminder" 200 "$OK"
req POST /interact/groups//email '{"emailType":"privacyRequest"}'
expect "group email: empty groupID" 400 "$(err 'You are missing the path parameter groupID')"
req POST /interact/groups/x1/email '{"emailType":"privacyRequest"}'
expect "group email: groupID not digits" 400 "$(err 'groupID must be a number')"
req POST /interact/groups/5/email '{"emailType":"privacyRequest"}'
expect "group email: unknown group" 400 "$(err 'Group not found')"
req POST /interact/groups/999999/email '{"emailType":"privacyRequest"}'
expect "group email: other enterprise's group" 400 "$(err "Group doesn't exist in associated groups")"
req POST /interact/groups/123456/email '{}'
expect "group email: no emailType" 400 "$(err 'You are missing the body parameter emailType')"
req POST /interact/groups/123456/email '{"emailType":"newsletter"}'
expect "group email: invalid type" 400 "$(err "$INVALID_EMAIL")"
req POST /interact/participants/ok_participant1/email '{"emailType":"privacyRequest"}'
expect "participant email: success" 200 "$OK"
req POST /interact/participants//email '{"emailType":"privacyRequest"}'
expect "participant email: empty externalID" 400 "$(err 'You are missing the path parameter externalID')"
req POST /interact/participants/ok_other1/email '{"emailType":"privacyRequest"}'
expect "participant email: other enterprise's" 400 "$(err 'Participant not found')"
req POST /interact/participants/ok_participant1/email
expect "participant email: no body" 400 "$(err 'You are missing the body parameter emailType')"
req POST /interact/participants/ok_participant1/email '{"emailType":1}'
expect "participant email: type not a string" 400 "$(err "$INVALID_EMAIL")"

# ---- keys and unknown paths ------------------------------------------------
req GET /groups - -
expect "no key: 401" 401 "$(err Unauthorized)"
req POST /configure/groups/123456/privacy "$(level '[]')" "$WRONG_KEY"
expect "wrong key: 401" 401 "$(err Unauthorized)"
req POST /configure/groups/123456/privacy "$(level '[]')" "demo-key "
expect "key with a trailing blank is another key" 401 "$(err Unauthorized)"
req GET /nowhere
expect "unknown path: 404" 404 "$(err 'Not found')"
req DELETE /groups
expect "unknown method: 404" 404 "$(err 'Not found')"
req GET /configure/groups/123456/privacy
expect "GET on a POST route: 404" 404 "$(err 'Not found')"

# ---- what the server received ----------------------------------------------
state=$(curl -s "$SANDBOX_URL/_sandbox/state")
t_contains "state: group level stored" '"groupID":1710748366424,"groupName":"Pilot cohort","requestedPrivacyLevel":["mhci","transcript"]' "$state"
t_contains "state: participant level stored" '"externalID":"ok_participant1","requestedPrivacyLevel":["userPercentiles"]' "$state"
t_contains "state: untouched participant has no level" '"externalID":"ok_other1","requestedPrivacyLevel":null' "$state"
t_contains "state: group email counts" '"emailsSent":{"checkinReminder":1,"privacyRequest":1}' "$state"
t_contains "state: raw-path participant" '"externalID":"ok/../x","requestedPrivacyLevel":["features"]' "$state"
t_contains "state: request count" '"requestsServed":' "$state"
reqs=$(curl -s "$SANDBOX_URL/_sandbox/requests")
t_contains "requests: raw path and decoded target" '"path":"/configure/participants/ok%2F..%2Fx/privacy","target":"participant \"ok/../x\""' "$reqs"
t_contains "requests: body kept" '"body":"{\"requestedPrivacyLevel\":[\"features\"]}"' "$reqs"
t_lacks "requests: no key" "$KEY" "$reqs"
t_lacks "requests: no wrong key" "$WRONG_KEY" "$reqs"
curl -s -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null
state=$(curl -s "$SANDBOX_URL/_sandbox/state")
t_contains "reset: fixture levels back" '"externalID":"ok_participant1","requestedPrivacyLevel":null' "$state"

sleep 0.1
log=$(cat "$SANDBOX_LOG")
t_contains "log: method, raw path, status, target" 'POST /configure/participants/ok%2F..%2Fx/privacy 200 participant "ok/../x"' "$log"
t_contains "log: NUL escaped" 'participant "ok\x00"' "$log"
t_lacks "log: never the key" "$KEY" "$log"
t_lacks "log: never a wrong key" "$WRONG_KEY" "$log"
t_lacks "log: not even a key prefix" "wrong-k" "$log"

kill -TERM "$SANDBOX_PID"; wait "$SANDBOX_PID"; rc=$?
t_eq "SIGTERM stops it cleanly" 0 "$rc"

# ---- fault switches --------------------------------------------------------
sandbox_start --delay-ms 1000 || exit 1
start=$(date +%s%N)
pids=""
for i in 1 2 3; do curl -s -o /dev/null -H "x-api-key: $KEY" "$SANDBOX_URL/groups" & pids="$pids $!"; done
t_check "arrived counts the requests still held" wait_arrived 3
wait $pids
t_eq "arrived leaves out the test endpoints" 3 "$(sandbox_arrived)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
# Wide bounds: in series they would take 3000 ms; a loaded machine only adds.
t_check "delay: three parallel requests take ~1000 ms, not 3000 (${ms} ms)" test "$ms" -ge 980 -a "$ms" -lt 2500
sandbox_stop

sandbox_start --rate-limit 3 || exit 1
codes=""
for i in 1 2 3 4; do req GET /groups; codes="$codes $STATUS"; done
t_eq "rate limit: fourth request in a second is refused" " 200 200 200 429" "$codes"
t_eq "rate limit: JSON error" '{"error":"Too many requests"}' "$BODY"
t_contains "rate limit: Retry-After: 1" "Retry-After: 1" "$HDRS"
sleep 1.1
req GET /groups
t_eq "rate limit: after a second it answers again" 200 "$STATUS"
sandbox_stop

sandbox_start --fail-rate 1 || exit 1
req POST /configure/groups/123456/privacy "$(level '[]')"
t_eq "fail-rate 1: status 500" 500 "$STATUS"
t_eq "fail-rate 1: HTML" "text/html" "$CTYPE"
t_contains "fail-rate 1: HTML body" "<html>" "$BODY"
state=$(curl -s "$SANDBOX_URL/_sandbox/state")
t_contains "fail-rate 1: nothing stored" '"groupID":123456,"groupName":"Night shift","requestedPrivacyLevel":["mhci"]' "$state"
sandbox_stop

# The same seed fails the same requests.
run_fail_seq() {
  sandbox_start --fail-rate 0.5 --seed "$1" || exit 1
  local s="" i
  for i in $(seq 1 16); do req GET /groups; s="$s${STATUS:0:1}"; done
  sandbox_stop
  echo "$s"
}
a=$(run_fail_seq 7); b=$(run_fail_seq 7)
t_eq "fail-rate: same seed, same sequence" "$a" "$b"
t_check "fail-rate 0.5: some fail, some pass ($a)" bash -c "[[ '$a' == *5* && '$a' == *2* ]]"

sandbox_start --html || exit 1
req GET /groups
t_eq "html: 502" 502 "$STATUS"
t_eq "html: text/html" "text/html" "$CTYPE"
sandbox_stop

sandbox_start --redirect http://127.0.0.1:9/elsewhere || exit 1
req POST /configure/groups/123456/privacy "$(level '[]')"
t_eq "redirect: 302" 302 "$STATUS"
t_contains "redirect: Location" "Location: http://127.0.0.1:9/elsewhere" "$HDRS"
sandbox_stop

sandbox_start --malformed || exit 1
req GET /groups
t_eq "malformed: 200 with cut JSON" '200 {"message": "succ' "$STATUS $BODY"
sandbox_stop

# ---- command line ----------------------------------------------------------
out=$("$SANDBOX_BIN" --fail-rate 2 2>&1); rc=$?
t_eq "bad --fail-rate is refused" 2 "$rc"
t_contains "bad --fail-rate says why" "from 0 to 1" "$out"
out=$("$SANDBOX_BIN" --port 0 --fixture "$T_TMP/none.json" 2>&1); rc=$?
t_eq "missing fixture: exit 1" 1 "$rc"
t_contains "missing fixture: names it" "none.json" "$out"

t_done

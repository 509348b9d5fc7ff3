#!/bin/bash
# End-to-end (tmux + sandbox): what the TUI reads before a change and
# records after it. The server's level ticked on load (--group, F6), the
# review's diff against it, the review email only after a yes, participant
# info, History (F4) and the history file.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key
PILOT=1710748366424

# emails KIND ID: privacyRequest emails the sandbox has sent to a target.
emails() {
  curl -s "$SANDBOX_URL/_sandbox/state" | python3 -c '
import json, sys
kind, tid = sys.argv[1], sys.argv[2]
for e in json.load(sys.stdin)["enterprises"]:
    for t in e["groups" if kind == "group" else "participants"]:
        if str(t["groupID" if kind == "group" else "externalID"]) == tid:
            print(t["emailsSent"]["privacyRequest"])' "$1" "$2"
}
# set_level ID JSON-ARRAY: changes a group behind the TUI's back.
set_level() {
  curl -s -o /dev/null -X POST -H 'x-api-key: demo-key' -H 'Content-Type: application/json' \
    -d "{\"requestedPrivacyLevel\":$2}" "$SANDBOX_URL/configure/groups/$1/privacy"
}

# --- --group ticks the server's current level ----------------------------------
set_level $PILOT '["transcript","features"]'   # the fixture has []
tui_start "$CFG" --group $PILOT
t_screen "--group reads the current level" "current on server (Pilot cohort"
s=$(screen)
t_contains "transcript ticked from the server" "[x] 4 Transcript" "$s"
t_contains "features ticked from the server" "[x] 5 Features" "$s"
t_contains "mhci not ticked" "[ ] 1 MHCI score" "$s"
t_contains "marked as the server's" "on server" "$s"
t_contains "form level is the server's" "F5 sends: transcript,features" "$s"

# --- the review shows the change against the server -------------------------
keys 1 4 F5
t_screen "review diff against the server" "+mhci -transcript (vs. current on server, read "
keys Enter
t_screen "a change that adds flags offers the email" "Send the review email?"
t_contains "No is the default" ">[ No ]" "$(screen)"
before=$(emails group $PILOT)
keys Enter           # Enter on the default
t_screen "No said" "Review email not sent"
t_eq "the set went through" '["mhci","features"]' "$(group_level $PILOT)"
t_eq "no email after No" "$before" "$(emails group $PILOT)"

keys 3 F5 Enter
t_screen "offered again" "Send the review email?"
keys y
t_screen "the email answer" "Review email (privacyRequest) requested"
t_contains "email ok" "200 OK: success" "$(screen)"
t_eq "one email after yes" "$((before + 1))" "$(emails group $PILOT)"

# Removing flags only: no prompt.
keys 3 F5 Enter
t_screen "removal sent" "Saved to recent targets"
t_contains "removal level" "F5 sends: mhci,features" "$(screen)"
t_lacks "no prompt when nothing is added" "Send the review email?" "$(screen)"

# --- History (F4) -------------------------------------------------------------------
keys F4
t_screen "history shows the notify" "email privacyRequest"
s=$(screen)
t_contains "history shows the set with its diff" "+mhci -transcript" "$s"
t_contains "newest first" "-userPercentiles" "$(echo "$s" | grep -m1 ' set \| notify ')"
keys /
type_text 424242
t_screen "filter by target" "Nothing matches the filter."
keys Escape
t_screen "Esc clears the filter" "email privacyRequest"
keys Escape F10
wait_exit

H=$TUI_HISTORY
python3 - "$H" <<'PY' && t_ok "history file: set lines with before/after, a notify line" \
  || t_fail "history file: set lines with before/after, a notify line" "$(cat "$H")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
sets = [l for l in lines if l["action"] == "set"]
notes = [l for l in lines if l["action"] == "notify"]
assert len(sets) == 3 and len(notes) == 1, (len(sets), len(notes))
assert sets[0]["before"] == ["transcript", "features"] and sets[0]["after"] == ["mhci", "features"]
assert sets[0]["beforeSource"] == "server", sets[0]
assert notes[0]["emailType"] == "privacyRequest" and notes[0]["status"] == 200
assert all(l["id"] == "1710748366424" and l["kind"] == "group" for l in lines)
PY
t_lacks "history holds no API key" "demo-key" "$(cat "$H")"
t_lacks "history holds no group key" "gk_" "$(cat "$H")"
t_eq "history file is 0600" 600 "$(stat -c %a "$H")"

# --- Groups (F6) ------------------------------------------------------------------
set_level 123456 '["userPercentiles"]'        # the fixture has ["mhci"]
tui_start "$CFG"
keys F6
t_screen "F6 lists the groups" "Night shift"
s=$(screen)
t_contains "with the current level" "userPercentiles" "$s"
t_contains "and consentRequired" "yes" "$s"
t_lacks "group keys never shown" "gk_" "$s"
keys /
type_text night
keys Enter
t_screen "filter narrows" "1 of 2"
keys Enter
t_screen "Enter loads the group" "current on server (Night shift"
s=$(screen)
t_contains "its current level ticked" "[x] 3 User percentiles" "$s"
t_contains "fixture level not ticked" "[ ] 1 MHCI score" "$s"
t_contains "form level from F6" "F5 sends: userPercentiles" "$s"
keys 2 F5
t_screen "review against the server after F6" "+groupPerecntiles (vs. current on server, read "
keys Escape F7
t_screen "body view" "Response body"
t_lacks "no group key in the body view" "gk_" "$(screen)"
keys Escape F10
wait_exit

# --- participant lookup -------------------------------------------------------------
tui_start "$CFG" --participant ok_participant1
t_screen "participant groups shown" "the flags it implies"
t_screen "group names from GET /groups" "Pilot cohort"
s=$(screen)
t_contains "privacyLevel as given, flags inferred" "2  inferred: mhci,groupPerecntiles" "$s"
t_contains "privacyLevel 0" "0  inferred: none" "$s"
t_contains "join date" "2024-03-18" "$s"
t_contains "requested level not readable, said so" "cannot read a participant's requested level" "$s"
keys F10
wait_exit

tui_start "$CFG" --participant ok_nobody
t_screen "participant not found, plainly" "Participant not found"
keys F10
wait_exit

# --- the read fails: fall back to the last level sent from here -----------------
DEAD=$T_TMP/dead/config.cfg
mkdir -p "$(dirname "$DEAD")"
cat >"$DEAD" <<EOC
api_key = "demo-key";
base_url = "http://127.0.0.1:9";
recent_groups = ( { id = "123456"; level = [ "mhci", "transcript" ]; sent = "2026-01-02T03:04:05Z"; } );
EOC
chmod 600 "$DEAD"
tui_start "$DEAD" --group 123456
t_screen "failed read said" "Server level not read"
s=$(screen)
t_contains "falls back to the last sent from here" "from here" "$s"
t_contains "last sent level ticked" "F5 sends: mhci,transcript" "$s"
keys F10
wait_exit

# --- a corrupt history line is skipped with a notice -------------------------------
printf '{"broken": \n' >>"$H"
tui_start "$CFG"
keys F4
t_screen "corrupt line noticed" "1 unreadable line skipped"
t_contains "the rest still listed" "email privacyRequest" "$(screen)"
keys Escape F10
wait_exit

tui_no_sanitizer_reports
t_done

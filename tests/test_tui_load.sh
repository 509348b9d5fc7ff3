#!/bin/bash
# End-to-end checks for loading targets into the form: the ticks always
# belong to the target in the ID field, late answers never tick the wrong
# form, unknown levels are shown as unknown.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key

# --- 1. F5 from the ID field loads a new ID first, never sends old ticks ----
tui_start "$CFG" --group 123456
t_screen "group 123456 loaded" "current on server"
keys BTab C-u
type_text 1710748366424
keys F5
t_screen "F5 on a new ID loads it" "loaded 1710748366424: check the flags, then send"
t_lacks "no review for the old ticks" "Enter sends" "$(screen)"
t_contains "new group's own (empty) ticks" "[ ] 1 " "$(screen)"
t_eq "nothing posted" 0 "$(posts_seen)"
keys F5
t_screen "second F5 reviews the loaded group" "Enter sends"
t_contains "review diffs against the server" "(vs. current on server" "$(screen)"
keys Escape
t_eq "still nothing posted" 0 "$(posts_seen)"
t_eq "123456 untouched" '["mhci"]' "$(group_level 123456)"
t_eq "1710748366424 untouched" '[]' "$(group_level 1710748366424)"
keys F10
wait_exit

# --- 3. a target whose level is unknown starts with no ticks -----------------
tui_start "$CFG" --group 123456
t_screen "group 123456 loaded (3)" "current on server"
t_contains "mhci ticked" "[x] 1" "$(screen)"
keys BTab BTab Right Tab C-u
type_text ok_participant2
keys Tab
t_screen "participant loaded, level unknown" "level unknown: nothing sent from this machine"
t_lacks "the group's ticks are gone" "[x]" "$(screen)"
keys BTab C-u
type_text ok_nobody
keys Tab
t_screen "unknown participant answered" "Participant not found"
t_lacks "no ticks for a participant not found" "[x]" "$(screen)"
t_contains "labelled unknown" "unknown" "$(screen)"
keys F10
wait_exit
# Another enterprise's key: the group is not among its groups.
OTHER=$T_TMP/cfg/other.cfg
tui_config "$OTHER" other-key
tui_start "$OTHER" --group 123456
t_screen "other enterprise's group: level not read" "Server level not read"
t_contains "labelled unknown" "  unknown" "$(screen)"
t_lacks "no ticks" "[x]" "$(screen)"
keys F10
wait_exit

# --- 4. the key that answers the email prompt is not applied to the form ----
tui_start "$CFG" --group 1710748366424
t_screen "pilot loaded" "current on server"
keys 1 F5
t_screen "review (4)" "Enter sends"
keys Enter
t_screen "prompt after adding mhci" "Send the review email?"
keys Space
t_screen "Space declined" "Review email not sent"
t_contains "Space did not untick mhci" "[x] 1" "$(screen)"
keys 2 F5
t_screen "review (4b)" "Enter sends"
keys Enter
t_screen "prompt after adding groupPerecntiles" "Send the review email?"
keys a
t_screen "a declined" "Review email not sent"
t_contains "a did not tick all" "[ ] 5" "$(screen)"
keys 3 F5
t_screen "review (4c)" "Enter sends"
keys Enter
t_screen "prompt after adding userPercentiles" "Send the review email?"
keys q
t_screen "q declined" "Review email not sent"
sleep 0.3
t_check "q did not quit the app" test ! -s "$TUI_DIR/rc"
keys F10
wait_exit

# --- 7. leaving the ID field re-reads the same target; the review says when --
tui_start "$CFG" --group 123456
t_screen "group loaded (7)" "current on server"
t_screen "mhci ticked (7)" "[x] 1"
t_contains "transcript not ticked yet" "[ ] 4" "$(screen)"
# Changed elsewhere (another admin, the CLI).
curl -s -o /dev/null -X POST -H 'x-api-key: demo-key' -H 'Content-Type: application/json' \
  -d '{"requestedPrivacyLevel":["mhci","transcript"]}' "$SANDBOX_URL/configure/groups/123456/privacy"
keys BTab Tab
t_screen "re-read on leaving the field shows the change" "[x] 4"
keys F5
t_screen "review (7)" "Enter sends"
if [[ "$(screen)" =~ "current on server, read "[0-2][0-9]:[0-5][0-9]:[0-5][0-9] ]]; then
  t_ok "review says when the level was read"
else
  t_fail "review says when the level was read" "$(screen)"
fi
keys Escape
keys F10
wait_exit
# Put it back for the sections below.
curl -s -o /dev/null -X POST -H 'x-api-key: demo-key' -H 'Content-Type: application/json' \
  -d '{"requestedPrivacyLevel":["mhci"]}' "$SANDBOX_URL/configure/groups/123456/privacy"

# --- 8. small things: wrapped notes, the key's source, the History filter ----
tui_start "$OTHER" --group 123456
t_screen "fallback note (8)" "Server level not read"
t_contains "the fallback note is wrapped, not cut" "nothing sent from this machine." "$(screen)"
keys F10
wait_exit
printf 'demo-key\n' >"$T_TMP/keyfile"; chmod 600 "$T_TMP/keyfile"
tui_start "$CFG" --api-key-file "$T_TMP/keyfile"
t_screen "form up (key file)" "Group ID"
t_contains "header names --api-key-file" "(--api-key-file)" "$(screen)"
t_lacks "not called env" "(env)" "$(screen)"
keys F4
t_screen "history open (8)" "newest first"
keys /
type_text +mhci
t_screen "filter matches the change text" "+mhci"
t_lacks "rows kept" "Nothing matches the filter." "$(screen)"
keys Escape Escape F10
wait_exit

# ---- below: a sandbox that answers every request 2 s late -----------------
sandbox_stop
sandbox_start --delay-ms 2000 || { t_fail "slow sandbox starts"; t_done; exit 1; }
SLOW=$T_TMP/cfg/slow.cfg
tui_config "$SLOW" demo-key

# --- 2. a late answer never ticks a form that now names another target -------
tui_start "$SLOW"
t_screen "form up (slow)" "Group ID"
type_text 123456
keys Tab
t_screen "group read started" "Reading the group's current level"
keys BTab BTab Right
t_screen "kind switched to Participant" "External ID"
sleep 2.6
t_lacks "group's answer did not tick the participant form" "[x]" "$(screen)"
keys F10
wait_exit

tui_start "$SLOW"
t_screen "form up (slow, edit)" "Group ID"
type_text 123456
keys Tab
t_screen "group read started (edit)" "Reading the group's current level"
keys BTab
type_text 7
sleep 2.6
t_lacks "answer for 123456 did not tick 1234567" "[x]" "$(screen)"
t_lacks "no stale reading note" "Reading the group's" "$(screen)"
keys F10
wait_exit

# --- 5. a send cancelled with Esc is in the history, as maybe applied --------
tui_start "$SLOW" --group 1710748366424
t_screen "pilot loaded (slow)" "current on server" 6
keys 5 F5
t_screen "review (5)" "Enter sends"
keys Enter
t_screen "sending" "Sending to group" 
keys Escape
t_screen "cancelled" "ancel" 
# The history line is written as the cancel lands: poll for it, never a fixed sleep.
for i in $(seq 1 200); do
  line=$(grep 'cancelled: may or may not have been applied' "$TUI_HISTORY" | tail -n 1)
  [ -n "$line" ] && break; sleep 0.05
done
t_contains "cancel recorded" '"id":"1710748366424"' "$line"
t_contains "with status 0" '"status":0' "$line"
t_contains "as a set" '"action":"set"' "$line"
keys F10
wait_exit

# --- 6. F5 during the load waits for it; the review uses the server's level --
tui_start "$SLOW" --group 123456
t_screen "reading (6)" "Reading the group's current level"
keys F5
t_screen "F5 waits for the load" "loading the target's current level"
keys Enter
t_screen "Enter while waiting ticks nothing" "the review opens next"
t_lacks "no review yet" "Enter sends" "$(screen)"
t_screen "review once the level is read" "Enter sends" 4
t_contains "diffed against the server" "no change (vs. current on server" "$(screen)"
keys Escape
t_screen "the server's ticks" "[x] 1"
keys F10
wait_exit

# --- 8b. F6 while the groups are read says so, not "0 entries" --------------
tui_start "$SLOW"
t_screen "form up (8b)" "Group ID"
keys F6
t_screen "groups loading" "Loading groups..."
t_lacks "no '0 entries' while loading" "0 entries" "$(screen)"
t_lacks "no 'no groups' while loading" "has no groups" "$(screen)"
t_screen "groups listed once read" "Night shift" 4
keys Escape F10
wait_exit

tui_no_sanitizer_reports
t_done

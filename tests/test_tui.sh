#!/bin/bash
# End-to-end: the TUI in a real terminal (tmux) against a real sandbox.
# Typing an ID and sending, --group/--participant, invalid IDs, a wrong key.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key

# --- typing an ID and sending -------------------------------------------
tui_start "$CFG"
t_screen "opens on the form" "Group ID"
t_contains "focus starts in the ID field" "> Group ID" "$(screen)"
type_text 123456
keys Tab           # leaving the field loads the group's current level (fixture: mhci)
t_screen "typed ID loads the server's level" "current on server"
keys 4             # digits toggle flags outside the text field
t_screen "digits tick flags" "F5 sends: mhci,transcript"
keys F5
t_screen "review shows the body" '{"requestedPrivacyLevel":["mhci","transcript"]}'
t_contains "review shows the URL" "$SANDBOX_URL/configure/groups/123456/privacy" "$(screen)"
t_contains "review compares with the server" "+transcript (vs. current on server, read " "$(screen)"
keys Enter
t_screen "a change adding flags offers the email" "Send the review email?"
keys n
t_screen "the answer shows" "200 OK: success"
t_contains "method and path shown" "POST /configure/groups/123456/privacy" "$(screen)"
t_eq "sandbox holds the level" '["mhci","transcript"]' "$(group_level 123456)"
t_screen "saved to recents" "Saved to recent targets"
grep -q 123456 "$CFG" && t_ok "config lists the target" || t_fail "config lists the target" "$(cat "$CFG")"

# Letters are text in the ID field: 'q' does not quit, 'a' does not tick.
keys BTab          # flags -> ID
type_text "qa"
t_screen "q and a are text in the field" "123456qa"
keys F5
t_screen "invalid group ID refused inline" "Error:"
before=$(posts_seen)
keys F5
sleep 0.2
t_eq "invalid ID sends nothing" "$before" "$(posts_seen)"

# Same target again: the review shows what changes.
keys BSpace BSpace Tab a F5
t_screen "review diff" "+groupPerecntiles"
t_contains "diff names only changes" "+userPercentiles +features" "$(screen)"
keys Escape
t_screen "Esc goes back from review" "F5 sends: mhci,groupPerecntiles"
t_eq "Esc sent nothing" '["mhci","transcript"]' "$(group_level 123456)"
keys F10
wait_exit && t_ok "F10 quits" || t_fail "F10 quits" "$(screen)"
t_eq "exit code 0" 0 "$(cat "$TUI_DIR/rc" 2>/dev/null)"

# --- --group / --participant start --------------------------------------
tui_start "$CFG" --group 1710748366424
t_screen "--group loads the target" "1710748366424"
t_contains "--group puts focus on the flags" "> Flags" "$(screen)"
t_screen "--group reads the server's level" "current on server"
keys a F5
t_screen "review for --group" "Enter sends"
keys Enter
t_screen "email offered after --group" "Send the review email?"
keys Escape
t_screen "--group send ok" "200 OK: success"
t_eq "sandbox holds all flags" '["mhci","groupPerecntiles","userPercentiles","transcript","features"]' \
  "$(group_level 1710748366424)"
keys q
wait_exit && t_ok "q quits outside text fields" || t_fail "q quits outside text fields" "$(screen)"

tui_start "$CFG" --participant ok_participant1
t_screen "--participant loads it" "External ID"
t_contains "kind is participant" "(*) Participant" "$(screen)"
t_screen "--participant shows its groups" "the flags it implies"
keys 2 F5 Enter
t_screen "email offered after --participant" "Send the review email?"
keys n
t_screen "--participant send ok" "200 OK: success"
curl -s "$SANDBOX_URL/_sandbox/state" | grep -q '"externalID":"ok_participant1","requestedPrivacyLevel":\["groupPerecntiles"\]' \
  && t_ok "sandbox holds the participant level" \
  || t_fail "sandbox holds the participant level" "$(curl -s "$SANDBOX_URL/_sandbox/state")"

# UTF-8: Backspace removes the whole character, and padding is trimmed.
keys BTab C-u      # flags -> ID, cleared
type_text "ok_participant1é"
t_screen "UTF-8 in the field" "ok_participant1é"
keys BSpace Tab F5
t_screen "UTF-8 backspace leaves a clean ID" "participants/ok_participant1/p"
keys Escape
t_screen "back on the form" "F5 sends:"
# Invalid participant ID: empty.
keys BTab C-u F5
t_screen "empty participant ID refused" "Error:"
keys F10
wait_exit

# --- hints: a group of another enterprise -------------------------------
tui_start "$CFG" --group 999999
keys F5
t_screen "review after the level read failed" "Enter sends"
keys Enter
t_screen "foreign group answer" "Group doesn't exist in associated groups"
t_contains "foreign group hint" "this key's enterprise does not own that group" "$(screen)"
keys F7
t_screen "F7 shows the raw body" '"error": "Group doesn'"'"'t exist in associated groups"'
keys Escape F10
wait_exit

# --- a wrong key ----------------------------------------------------------
BAD=$T_TMP/bad/config.cfg
tui_config "$BAD" "wrong-secret-key-7f3a"
tui_start "$BAD" --group 123456
keys F5
t_screen "review after the 401 read" "Enter sends"
keys Enter
t_screen "wrong key: 401" "FAILED  401"
t_contains "401 hint" "check the API key in Settings (F3)" "$(screen)"
t_lacks "key never on screen" "wrong-secret" "$(screen)"
t_contains "key shown masked" "********7f3a" "$(screen)"
keys F3
t_screen "settings open" "Base URL"
t_lacks "settings never show the key" "wrong-secret" "$(screen)"
# Paste a new key with blanks around it; it is trimmed and saved.
type_text "  demo-key  "
t_screen "typed key shown masked" "new key: ******** (8 characters)"
t_lacks "typed key never shown" "demo-key" "$(screen)"
keys Tab Tab Tab Tab Enter
t_screen "settings saved" "Settings saved"
grep -q 'api_key = "demo-key"' "$BAD" && t_ok "trimmed key saved" || t_fail "trimmed key saved" "$(grep -v api_key "$BAD")"
keys F5 Enter
t_screen "new key works at once" "200 OK: success"
keys F10
wait_exit

# --- NO_COLOR, and a non-JSON answer shown escaped ----------------------------
sandbox_start --html || t_fail "html sandbox starts"
HTML=$T_TMP/html/config.cfg
tui_config "$HTML" demo-key
TUI_ENV="NO_COLOR=1" tui_start "$HTML" --participant someone
t_screen "unusual external ID hinted" 'usually begin with "ok_"'
keys F5 Enter
t_screen "HTML error answer" "502"
t_contains "5xx hint" "the server failed; try again later" "$(screen)"
t_contains "HTML body shown as text" "<html" "$(screen)"
colours=$(TM capture-pane -p -e -t "$TUI_S" | grep -cE $'\e\\[[0-9;]*[34][0-7]m')
t_eq "NO_COLOR: no colour on screen" 0 "$colours"
t_contains "state still in words under NO_COLOR" "FAILED" "$(screen)"
keys F10
wait_exit

tui_no_sanitizer_reports
t_done

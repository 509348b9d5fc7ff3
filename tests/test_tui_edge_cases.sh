#!/bin/bash
# End-to-end edge cases of the TUI: wide characters and long IDs in
# the ID field, pastes, small terminals, dumb terminals, unconfirmed answers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key

# The ID in the last POST the sandbox received, percent-decoded (the sandbox
# logs every request, also the refused ones: "Participant not found").
last_participant() {
  curl -s "$SANDBOX_URL/_sandbox/requests" | python3 -c '
import json,sys,urllib.parse
r=[q for q in json.load(sys.stdin)["requests"] if q["method"]=="POST"]
p=r[-1]["path"].split("/") if r else ["","","",""]
print(urllib.parse.unquote(p[3]))' 2>/dev/null
}
rep() { local i out=""; for i in $(seq 1 "$2"); do out="$out$1"; done; printf '%s' "$out"; }

# --- 1. double-width characters: exactly what was typed is sent ------------
tui_start "$CFG" --participant ok_participant1
t_screen "participant loaded" "External ID"
keys BTab C-u
WIDE="ok_$(rep 漢 32)"
type_text "$WIDE"
sleep 0.2
keys Tab 1 F5
t_screen "review for a wide ID" "Enter sends"
keys Enter
t_screen "wide ID answer" "Participant not found"
keys Escape 2>/dev/null; sleep 0.2
t_eq "wide ID sent exactly" "$WIDE" "$(last_participant)"
t_lacks "no stray ^@ on screen" "^@" "$(screen)"
keys BTab BSpace BSpace Tab F5
t_screen "review after Backspace" "Enter sends"
keys Enter
t_until "Backspace removed two whole characters" "ok_$(rep 漢 30)" last_participant
keys F10
wait_exit

# --- 4. over-long IDs are refused inline, never cut -------------------------
tui_start "$CFG" --participant ok_participant1
t_screen "participant loaded (long)" "External ID"
keys BTab C-u
type_text "ok_$(rep é 200)"
t_screen "403 bytes refused inline" "at most 256 bytes"
keys Tab F5
t_screen "review for the longest ID that fits" "Enter sends"
keys Enter
t_until "field kept the first 255 bytes, whole characters" "ok_$(rep é 126)" last_participant
keys BTab C-u
type_text "$(rep a 260)"
t_screen "260 bytes refused inline" "at most 256 bytes"
keys Tab F5
t_screen "review of the 256-byte ID" "Enter sends"
keys Enter
t_until "256 bytes accepted" "$(rep a 256)" last_participant
keys F10
wait_exit

# --- 2. pastes into Settings: a line break never moves into the next field ----
# paste TEXT [-p]: through a tmux buffer, as a terminal paste. -p wraps it in
# the bracketed-paste markers (tmux adds them only when the app asked).
paste() { printf '%b' "$1" | TM load-buffer -b tp -; TM paste-buffer -d -b tp ${2:-} -t "$TUI_S"; }
cfg_before=$(cat "$CFG")
tui_start "$CFG"
t_screen "form up" "Group ID"
keys F3
t_screen "settings open (paste)" "Base URL"
paste 'demo-\nkey' -p
t_screen "bracketed paste with a line break refused" "not pasted"
t_contains "with api_key_clean's reason" "paste it again on a single line" "$(screen)"
t_contains "key field still empty" "paste a new key; empty keeps" "$(screen)"
t_contains "Base URL untouched" "$SANDBOX_URL" "$(screen)"
paste '  new-key-9c1e  ' -p
t_screen "a clean paste is trimmed and kept" "new key: ********9c1e (12 characters)"
keys C-u
# Without the markers (a terminal without bracketed paste): Enter stays put.
paste 'demo-\nkey'
t_screen "Enter in the key field is a line break, not a move" "line break"
t_contains "focus stays on the key" ">API key" "$(screen)"
keys Tab Tab Tab Tab Enter
t_screen "saving a broken key is refused" "had a line break"
t_eq "config unchanged" "$cfg_before" "$(cat "$CFG")"
keys Escape F10
wait_exit

# --- 3. pastes into the form are text only ------------------------------------
tui_start "$CFG"
t_screen "form up (paste)" "Group ID"
paste '42\nq' -p
t_screen "paste with a line break refused in the ID field" "an ID is one line"
sleep 0.3
t_lacks "q in a paste did not quit" "0" "$(cat "$TUI_DIR/rc" 2>/dev/null || echo)"
paste '  4242  ' -p
t_screen "trimmed paste lands in the ID field" "Group ID    4242"
keys Tab
t_screen "on the flags" "> Flags"
paste '123\n456 a 3' -p
t_screen "paste outside a text field does nothing" "A paste goes into the ID field only"
t_contains "no flag ticked by a paste" "F5 sends: none" "$(screen)"
paste 'q' -p
sleep 0.3
if [ -s "$TUI_DIR/rc" ]; then t_fail "q pasted on the flags does not quit"; else t_ok "q pasted on the flags does not quit"; fi
keys F10
wait_exit
t_eq "stty identical (bracketed paste off again)" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"

# --- 8. a terminal that cannot address the cursor is refused -----------------
TUI_ENV="TERM=dumb" tui_start "$CFG"
wait_exit && t_ok "TERM=dumb exits" || t_fail "TERM=dumb exits" "$(screen)"
t_eq "TERM=dumb: exit 2" 2 "$(cat "$TUI_DIR/rc" 2>/dev/null)"
t_contains "TERM=dumb points to the CLI" "okaya-privacy set" "$(cat "$TUI_DIR/stderr")"
t_eq "TERM=dumb: stty untouched" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"

# --- 9. a 200 with a malformed body is not a success ---------------------------
sandbox_start --malformed || t_fail "malformed sandbox starts"
BADBODY=$T_TMP/malformed/config.cfg
tui_config "$BADBODY" demo-key
tui_start "$BADBODY" --group 123456
t_screen "form up (malformed)" "Group ID"
keys a F5
t_screen "review (malformed)" "Enter sends"
keys Enter
t_screen "200 without the success body: UNCONFIRMED" "UNCONFIRMED"
t_lacks "not called saved" "Saved to recent targets" "$(screen)"
t_contains "says recents were not updated" "Recents not updated" "$(screen)"
grep -q 123456 "$BADBODY" && t_fail "recents not updated (config)" "$(cat "$BADBODY")" \
  || t_ok "recents not updated (config)"
keys F10
wait_exit

# --- 5. Settings keep what is typed: other screens wait -----------------------
tui_start "$CFG"
t_screen "form up (settings)" "Group ID"
keys F3
t_screen "settings open (F-keys)" "Base URL"
type_text "typed-key-abcd"
keys F1
t_screen "F1 in Settings warns instead" "other screens wait"
keys F2
t_contains "still Settings, input kept" "new key: ********abcd" "$(screen)"
keys Escape
t_screen "Esc leaves Settings" "F1 Help"

# --- 8. Ctrl bindings for every F-key, shown in Help --------------------------
keys C-g
t_screen "Ctrl-G opens Help" "Keys (^X is Ctrl-X"
t_contains "Help names both" "F5 ^P" "$(screen)"
keys Escape C-r
t_screen "Ctrl-R opens Recents" "Recent targets"
keys Escape C-o
t_screen "Ctrl-O opens Settings" "Base URL"
keys Escape

# --- 7. Help wraps: every key's text and the five flags in full ----------------
resize 60 16
sleep 0.3
keys F1
t_screen "Help at 60x16" "Keys"
help=""
for i in $(seq 1 40); do help="$help
$(screen)"; keys PageDown; done
flat=$(printf '%s' "$help" | sed 's/│/ /g' | tr -s ' \n' ' ')
t_contains "Enter entry has its text" "Enter on Send: send; in the ID field: go to the flags" "$flat"
t_contains "1-5 line complete" "transcript, features)" "$flat"
t_contains "flag description complete" "The Mental Health Check-In score and its subscores" "$flat"
keys Escape
resize 80 24
keys F10
wait_exit

# --- 10. a request in flight: quit asks, flags frozen, notices go stale --------
sandbox_start --delay-ms 1500 || t_fail "slow sandbox starts"
SLOW=$T_TMP/slow/config.cfg
tui_config "$SLOW" demo-key
printf 'review = false;\n' >>"$SLOW"
tui_start "$SLOW" --group 123456
t_screen "form up (slow)" "Group ID"
t_screen "level read (slow)" "current on server" 6
keys 4 F5
t_screen "in flight" "Sending to group"
keys F5
t_screen "second send refused" "already in flight"
keys 5
t_screen "flags frozen in flight" "frozen while a request is in flight"
keys F10
t_screen "F10 in flight asks" "quit anyway? y/N"
keys n
sleep 0.2
if [ -s "$TUI_DIR/rc" ]; then t_fail "n keeps it running"; else t_ok "n keeps it running"; fi
t_screen "answer arrives" "Send the review email?" 6
keys n
t_screen "answer shown" "200 OK"
t_lacks "in-flight notice gone after the answer" "in flight" "$(screen)"
t_contains "sent what the form showed" "mhci,transcript" "$(screen)"
keys 5 F5
t_screen "in flight again (slow)" "Sending to group"
keys C-x y
wait_exit && t_ok "y quits" || t_fail "y quits" "$(screen)"

# --- 6. every overlay fits 60x16: nothing past the frame, nothing cut ------------
# past_frame: screen lines with text after an overlay's right border.
past_frame() { screen | grep -E '[│┐┘].*[^ ]' | grep -vE '[│┐┘] *$' ; }
tui_start "$CFG"
t_screen "form up (60x16)" "Group ID"
resize 60 16
sleep 0.3
for k in F1 F2 F3 F4 F6; do
  keys $k
  sleep 0.4
  t_eq "$k at 60x16: nothing beside the frame" "" "$(past_frame)"
  case $k in
    F3) t_contains "Settings review line whole" "review before sending (Space)" "$(screen)" ;;
    F2) t_contains "Recents footer whole" "e label  Esc" "$(screen)" ;;
  esac
  keys Escape
  sleep 0.2
done
resize 80 24
keys F10
wait_exit

# --- 10. Settings refuse an empty or broken base URL; credentials masked ---------
tui_start "$CFG"
t_screen "form up (url)" "Group ID"
keys F3
t_screen "settings open (url)" "Base URL"
keys Tab C-u Tab Tab Tab Enter
t_screen "empty base URL refused" "the base URL is empty"
t_eq "config unchanged (empty URL)" "$cfg_before" "$(cat "$CFG")"
type_text "http://[::1"
keys Tab Tab Tab Enter
t_screen "broken base URL refused" "Error:"
t_eq "config unchanged (broken URL)" "$cfg_before" "$(cat "$CFG")"
keys Escape F10
wait_exit
PW=$T_TMP/pw/config.cfg
tui_config "$PW" demo-key
sed -i "s|http://|http://admin:hunter2pw@|" "$PW"
tui_start "$PW" --group 123456
t_screen "form up (password URL)" "Group ID"
t_contains "header masks the password" "admin:***@127.0.0.1" "$(screen)"
keys F5
t_screen "review (password URL)" "Enter sends"
t_lacks "password never on screen" "hunter2pw" "$(screen)"
keys Escape F10
wait_exit

# --- 10. the 401 hint names the key masked and its source ----------------------
WRONG=$T_TMP/wrong/config.cfg
tui_config "$WRONG" "wrong-secret-key-9d2b"
printf 'review = false;\n' >>"$WRONG"
tui_start "$WRONG" --group 123456
t_screen "form up (401)" "Group ID"
keys F5
t_screen "401 answer" "401"
t_screen "401 hint names the masked key and its source" "key ********9d2b from the config file was refused"
t_lacks "key not in full" "wrong-secret" "$(screen)"
keys F10
wait_exit

tui_no_sanitizer_reports
t_done

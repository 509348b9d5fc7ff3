#!/bin/bash
# End-to-end checks for what a tester found: wide characters and long IDs in
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
sleep 0.5
t_eq "Backspace removed two whole characters" "ok_$(rep 漢 30)" "$(last_participant)"
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
sleep 0.5
t_eq "field kept the first 255 bytes, whole characters" "ok_$(rep é 126)" "$(last_participant)"
keys BTab C-u
type_text "$(rep a 260)"
t_screen "260 bytes refused inline" "at most 256 bytes"
keys Tab F5 Enter
sleep 0.5
t_eq "256 bytes accepted" "$(rep a 256)" "$(last_participant)"
keys F10
wait_exit

tui_no_sanitizer_reports
t_done

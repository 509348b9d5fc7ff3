#!/bin/bash
# End-to-end: resizing (mid-form and mid-request), cancelling, signals that
# must restore the terminal, and recent targets across restarts.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start --delay-ms 900 || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key
# Review off: these cases are about what happens after Send.
printf 'review = false;\n' >>"$CFG"

# --- resize mid-form --------------------------------------------------------
tui_start "$CFG"
t_screen "form up" "Group ID"
type_text 12345
resize 40 12
t_screen "40x12: too small notice" "terminal too small"
resize 20 5
t_screen "20x5: notice still shown" "need 60x16"
type_text 6        # typing while too small changes nothing
resize 80 24
t_screen "back to 80x24: form again" "Group ID    12345"
t_lacks "nothing typed while hidden" "123456" "$(screen)"
t_lacks "notice gone" "terminal too small" "$(screen)"
type_text 6
keys Tab           # loads the group: the fixture's level is mhci
t_screen "state kept across resizes" "F5 sends: mhci"
t_screen "its server level is ticked" "current on server"

# --- resize mid-request -----------------------------------------------------
keys F5
t_screen "spinner while in flight" "Sending to group 123456"
keys F5
t_screen "second send refused while in flight" "already in flight"
resize 40 12
t_screen "too small mid-request" "terminal too small"
resize 80 24
t_screen "answer arrives after resizes" "200 OK: success" 6
t_eq "sent exactly once" '["mhci"]' "$(group_level 123456)"
t_eq "one POST reached the sandbox" 1 "$(posts_seen)"

# --- Esc cancels a request in flight ----------------------------------------
keys 4 F5
t_screen "in flight again" "Sending to group"
keys Escape
t_screen "Esc cancels" "Cancelled" 3
t_contains "cancel says what is unknown" "may or may not have applied" "$(screen)"

# --- Ctrl-C restores the terminal ---------------------------------------------
keys C-c
wait_exit && t_ok "Ctrl-C ends it" || t_fail "Ctrl-C ends it" "$(screen)"
t_eq "stty identical after Ctrl-C" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"
t_eq "exit code after SIGINT" 130 "$(cat "$TUI_DIR/rc")"

# --- recents survive a restart; SIGTERM mid-request restores too --------------
tui_start "$CFG"
t_screen "restarted" "Group ID"
keys F2
t_screen "recent list after restart" "G 123456"
t_contains "last level shown" "mhci" "$(screen)"
keys Enter
t_screen "Enter loads it: flags focused, level ticked" "F5 sends: mhci"
t_contains "loaded ID" "Group ID    123456" "$(screen)"
keys F5
t_screen "sending before SIGTERM" "Sending to group"
pid=$(tui_pid)
kill -TERM "$pid"
wait_exit && t_ok "SIGTERM ends it" || t_fail "SIGTERM ends it" "$(screen)"
t_eq "stty identical after SIGTERM" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"
grep -q 'groups' "$CFG" && t_ok "config intact after SIGTERM" || t_fail "config intact after SIGTERM" "$(cat "$CFG")"
ls "$(dirname "$CFG")" | grep -v '^config.cfg$' | grep -q . \
  && t_fail "no temp file left" "$(ls -a "$(dirname "$CFG")")" || t_ok "no temp file left"

# --- recents: filter, label, forget; SIGHUP -----------------------------------
tui_start "$CFG" --participant ok_participant2
keys 5 F5
t_screen "email offered" "Send the review email?" 6
keys n
t_screen "participant sent" "200 OK: success" 6
keys F2
t_screen "two recents" "P ok_participant2"
t_contains "group still listed" "G 123456" "$(screen)"
keys /
type_text part
t_screen "filter typed" "Filter:"
wait_gone "G 123456" && t_ok "filter hides the group" || t_fail "filter hides the group" "$(screen)"
keys Enter e
type_text "Ward B"
keys Enter
t_screen "label saved" "Label saved"
t_contains "label listed" "Ward B" "$(screen)"
grep -q 'Ward B' "$CFG" && t_ok "label in config" || t_fail "label in config" "$(cat "$CFG")"
keys d
t_screen "d asks first" "d again forgets"
grep -q ok_participant2 "$CFG" && t_ok "nothing forgotten yet" || t_fail "nothing forgotten yet" "$(cat "$CFG")"
keys d
t_screen "forgotten" "Forgot ok_participant2"
grep -q ok_participant2 "$CFG" && t_fail "forget saved" "$(cat "$CFG")" || t_ok "forget saved"
keys Escape Escape
pid=$(tui_pid)
kill -HUP "$pid"
wait_exit && t_ok "SIGHUP ends it" || t_fail "SIGHUP ends it" "$(screen)"
t_eq "stty identical after SIGHUP" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"

tui_no_sanitizer_reports
t_done

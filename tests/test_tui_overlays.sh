#!/bin/bash
# End-to-end: overlays across resizes, help, a failed config save, and a
# crash that still restores the terminal.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }
CFG=$T_TMP/cfg/config.cfg
tui_config "$CFG" demo-key

tui_start "$CFG"
t_screen "form up" "Group ID"
# Kind switches with the arrows; ? opens help outside text fields.
keys BTab Right
t_screen "Right picks Participant" "(*) Participant"
keys Left
t_screen "Left picks Group" "(*) Group"
keys ?
t_screen "? opens help" "Everywhere (text fields too)"
keys NPage
t_screen "help pages" "lines 20-"
keys NPage NPage
t_screen "help explains the flags" "The five privacy flags"
# Help wraps long lines now: page on to its end.
for i in 1 2 3; do wait_for "Config file:" 1 && break; keys NPage; done
t_contains "help names the config file" "Config file: $CFG" "$(screen)"
keys q
t_screen "q closes help" "F5 sends:"

# Settings keep what was typed across a resize through "too small".
keys F3
t_screen "settings open" "Base URL"
keys Tab C-u
type_text "http://127.0.0.1:1"
resize 40 12
t_screen "too small with settings open" "terminal too small"
resize 80 24
t_screen "settings back with the typed URL" "http://127.0.0.1:1 "
keys Escape
t_screen "Esc leaves settings unsaved" "F5 sends:"
grep -q '127.0.0.1:1"' "$CFG" && t_fail "nothing saved on Esc" "$(cat "$CFG")" || t_ok "nothing saved on Esc"

# Recents with a filter typed, across a resize.
keys Tab                 # kind -> ID
type_text 123456
keys Tab                 # loads it: the fixture's level, mhci, ticked
t_screen "server level ticked" "current on server"
keys F5 Enter
t_screen "sent" "200 OK: success"
keys F2 /
type_text 1234
resize 60 16
t_screen "recents at 60x16 keep the filter" "G 123456"
t_contains "filter field kept" "Filter:  1234" "$(screen)"
keys Escape Escape
resize 80 24
t_screen "form again" "F5 sends:"

# A failed save is shown and the session goes on.
before=$(posts_seen)
mv "$T_TMP/cfg" "$T_TMP/cfg.moved" && : >"$T_TMP/cfg"   # the directory is now a file
keys F5 Enter
t_screen "failed save shown" "Config not saved"
t_contains "the send itself worked" "200 OK: success" "$(screen)"
keys 2 F5 Enter
t_screen "email offered" "Send the review email?"
keys Escape
t_screen "session goes on after a failed save" "<- mhci,groupPerec"
t_eq "sandbox got both sends" $((before + 2)) "$(posts_seen)"
rm -f "$T_TMP/cfg" && mv "$T_TMP/cfg.moved" "$T_TMP/cfg"

# --base-url and --api-key-file apply to one run and are never saved.
ELSE=$T_TMP/else/config.cfg
mkdir -p "$T_TMP/else"
printf 'api_key = "stale-key-0000";\nbase_url = "http://127.0.0.1:9";\n' >"$ELSE"
chmod 600 "$ELSE"
printf '  demo-key \n' >"$T_TMP/keyfile"
tui_start "$ELSE" --group 123456 --base-url "$SANDBOX_URL" --api-key-file "$T_TMP/keyfile"
t_screen "--base-url shown" "$SANDBOX_URL"
keys n F5 Enter
t_screen "--base-url and --api-key-file used" "200 OK: success"
grep -q 'stale-key-0000' "$ELSE" && grep -q '127.0.0.1:9"' "$ELSE" && ! grep -q demo-key "$ELSE" \
  && t_ok "one-run options not saved" || t_fail "one-run options not saved" "$(grep -v key "$ELSE")"
t_eq "sandbox holds the empty level" '[]' "$(group_level 123456)"

# Idle means idle: no CPU and no wake-ups while nothing happens, also with
# the engine started (the sends above).
# Up to three 1.5 s windows: on a loaded machine the first may still hold the
# tail of the last send (history, config save); a polling loop fails all three.
pid=$(tui_pid)
sleep 0.3
ctx() { awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status"; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for window in 1 2 3; do
  c0=$(cpu "$pid") x0=$(ctx "$pid")
  sleep 1.5
  c1=$(cpu "$pid") x1=$(ctx "$pid")
  [ $((c1 - c0)) -eq 0 ] && [ $((x1 - x0)) -le 1 ] && break
done
t_eq "idle: no CPU ticks in 1.5 s" 0 $((c1 - c0))
[ $((x1 - x0)) -le 1 ] && t_ok "idle: no wake-ups in 1.5 s" || t_fail "idle: no wake-ups in 1.5 s" "$((x1 - x0)) context switches"

# A crash (SIGSEGV) still gives the terminal back.
pid=$(tui_pid)
kill -SEGV "$pid"
wait_exit && t_ok "crash ends it" || t_fail "crash ends it" "$(screen)"
t_eq "stty identical after a crash" "$(cat "$TUI_DIR/stty.before")" "$(cat "$TUI_DIR/stty.after")"
t_eq "crash exit status" 139 "$(cat "$TUI_DIR/rc")"
# (the crash run's stderr may hold a sanitizer's SEGV report: expected)
rm -f "$TUI_DIR/stderr"

tui_no_sanitizer_reports
t_done

# Helpers for the tmux end-to-end suites (sourced after lib.sh).
# Each suite gets its own tmux server (-L) so runs never collide.
TMUX_SOCK="okaya-tui-$$-$RANDOM"
# UTF-8 whatever the caller's locale: the suites type non-ASCII IDs.
export LC_ALL=C.UTF-8
TM() { tmux -u -L "$TMUX_SOCK" "$@"; }
tui_cleanup() {
  tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCK"
  t_cleanup
}
trap tui_cleanup EXIT

# The audit log of every run goes to the suite's own file, never ~/.local/state.
TUI_HISTORY=${TUI_HISTORY:-$T_TMP/history.jsonl}

# tui_config FILE KEY: a fresh config for the running sandbox.
tui_config() {
  mkdir -p "$(dirname "$1")"
  printf 'api_key = "%s";\nbase_url = "%s";\n' "$2" "$SANDBOX_URL" >"$1"
  chmod 600 "$1"
}

# tui_start CONFIG [ARGS...]: runs the app in an 80x24 tmux window. The
# wrapper records stty -g before and after and the exit code, then waits.
TUI_RUN=0
tui_start() {
  local cfg=$1; shift
  TUI_RUN=$((TUI_RUN + 1))
  TUI_DIR=$T_TMP/run$TUI_RUN
  mkdir -p "$TUI_DIR"
  local args="" a
  for a in "$@"; do args="$args '$a'"; done
  # The wrapper survives Ctrl-C (a handler, not SIG_IGN: the app gets the default).
  cat >"$TUI_DIR/run.sh" <<EOS
trap : INT
stty -g >'$TUI_DIR/stty.before'
( echo \$BASHPID >'$TUI_DIR/pid'; exec env OKAYA_HISTORY='$TUI_HISTORY' ${TUI_ENV:-} OKAYA_CONFIG='$cfg' '$APP' $args 2>'$TUI_DIR/stderr' )
echo \$? >'$TUI_DIR/rc'
stty -g >'$TUI_DIR/stty.after'
exec sleep 600
EOS
  # A session that outlives the runs keeps the tmux server alive.
  TM has-session -t keep 2>/dev/null || TM new-session -d -s keep -x 20 -y 5 "exec sleep 3600"
  [ -n "${TUI_S:-}" ] && TM kill-session -t "$TUI_S" 2>/dev/null
  TUI_S=tui$TUI_RUN
  TM new-session -d -s "$TUI_S" -x 80 -y 24 "bash '$TUI_DIR/run.sh'"
  TM set-option -t "$TUI_S" window-size manual >/dev/null 2>&1
}

# The PID of the app in the current run (never pgrep: other runs exist).
tui_pid() { cat "$TUI_DIR/pid"; }
screen() { TM capture-pane -p -t "$TUI_S"; }
keys() { TM send-keys -t "$TUI_S" "$@"; }
# type_text TEXT: literal text, never read as key names.
type_text() { TM send-keys -t "$TUI_S" -l "$1"; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (10 s unless told:
# a loaded CI machine can be slow, and a passing wait costs nothing).
wait_for() {
  local deadline=$(( $(date +%s%N) / 1000000 + ${2:-10} * 1000 ))
  while [ $(( $(date +%s%N) / 1000000 )) -lt $deadline ]; do
    case "$(screen)" in *"$1"*) return 0 ;; esac
    sleep 0.03
  done
  return 1
}
# wait_gone TEXT [SECONDS]
wait_gone() {
  local deadline=$(( $(date +%s%N) / 1000000 + ${2:-10} * 1000 ))
  while [ $(( $(date +%s%N) / 1000000 )) -lt $deadline ]; do
    case "$(screen)" in *"$1"*) ;; *) return 0 ;; esac
    sleep 0.03
  done
  return 1
}
# wait_exit [SECONDS]: until the wrapper wrote the exit code.
wait_exit() {
  local i
  for i in $(seq 1 $(( ${1:-10} * 20 ))); do
    [ -s "$TUI_DIR/stty.after" ] && return 0
    sleep 0.05
  done
  return 1
}
# t_screen NAME TEXT [SECONDS]: a check that waits for TEXT.
t_screen() {
  if wait_for "$2" "${3:-10}"; then t_ok "$1"; else t_fail "$1" "[$2] not on screen:
$(screen)"; fi
}
resize() { TM resize-window -t "$TUI_S" -x "$1" -y "$2"; }

# The level the sandbox holds for a group, e.g. ["mhci","transcript"].
group_level() {
  curl -s "$SANDBOX_URL/groups" -H 'x-api-key: demo-key' |
    grep -oE "\"groupID\":$1,[^}]*" | grep -oE '"requestedPrivacyLevel":\[[^]]*\]' |
    sed 's/"requestedPrivacyLevel"://'
}
# How many requests the sandbox has served (its own debug endpoint).
requests_total() {
  curl -s "$SANDBOX_URL/_sandbox/requests" | grep -aoE '"total":[0-9]+' | cut -d: -f2
}
# POST requests the sandbox received (the debug GETs do not count).
posts_seen() {
  curl -s "$SANDBOX_URL/_sandbox/requests" | grep -aoE '"method":"POST"' | wc -l
}

# tui_no_sanitizer_reports: every run's stderr is free of ASan/UBSan/LSan
# reports (make check-asan runs these suites on the sanitized build).
tui_no_sanitizer_reports() {
  local f bad=""
  for f in "$T_TMP"/run*/stderr; do
    [ -e "$f" ] && grep -q -E 'Sanitizer|runtime error' "$f" && bad="$bad $f"
  done
  if [ -z "$bad" ]; then t_ok "no sanitizer reports"; else
    t_fail "no sanitizer reports" "$(head -n 30 $bad)"; fi
}

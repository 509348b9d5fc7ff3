#!/bin/bash
# TUI start-up, memory and idle CPU, with peers side by side.
#   bench/tui_startup.sh [BUILD] [RUNS]
# Everything runs inside an 80x24 tmux pane, so each program has a real
# terminal. "First frame" is OKAYA_EXIT_AFTER_FIRST_FRAME=1: the program
# exits right after its first doupdate(). Peers: top -n 1 (one full frame,
# then exit), vim -c q, tput clear (terminfo load only: the floor).
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
RUNS=${2:-30}
APP=$BUILD/okaya-privacy
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${OKAYA_BENCH_INNER:-}" != "" ]; then
  out=$OKAYA_BENCH_INNER
  export OKAYA_CONFIG=$out.cfg
  printf 'api_key = "bench-key-0000";\nbase_url = "http://127.0.0.1:9";\n' >"$OKAYA_CONFIG"
  chmod 600 "$OKAYA_CONFIG"
  time_cmd() {   # name, command...: one ms value per run
    local name=$1; shift
    local i s e
    for i in $(seq 1 "$RUNS"); do
      s=$EPOCHREALTIME
      "$@" >/dev/tty 2>/dev/null </dev/tty
      e=$EPOCHREALTIME
      echo "$name $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", (e - s) * 1000 }')"
    done
  }
  {
    OKAYA_EXIT_AFTER_FIRST_FRAME=1 time_cmd okaya-privacy "$APP"
    command -v top >/dev/null && time_cmd "top -n1" top -n 1
    command -v vim >/dev/null && time_cmd "vim -c q" vim -u NONE -N -i NONE -c q
    command -v tput >/dev/null && time_cmd "tput clear" tput clear
  } >"$out.times"

  # Resident memory once idle, and CPU used while idle for 3 seconds.
  rss_of() {   # pid -> "VmRSS_kB VmHWM_kB"
    awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$1/status"
  }
  cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
  ctx_of() { awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary/ { n = $2 } END { print v + n }' "/proc/$1/status"; }
  measure() {  # name, command... (SEND_FIRST=1: press F5 once before measuring)
    local name=$1; shift
    "$@" </dev/tty >/dev/tty 2>/dev/null &
    local pid=$!
    sleep 0.7
    if [ -n "${SEND_FIRST:-}" ]; then
      tmux send-keys -t "$TMUX_PANE" F5
      sleep 1
    fi
    local rss c0 x0 c1 x1
    rss=$(rss_of $pid); c0=$(cpu_of $pid); x0=$(ctx_of $pid)
    sleep 3
    c1=$(cpu_of $pid); x1=$(ctx_of $pid)
    kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null
    echo "$name $rss $((c1 - c0)) $((x1 - x0))"
  }
  {
    measure okaya-privacy "$APP"
    # After one request (to a closed port): libcurl and TLS are loaded now.
    printf 'review = false;\n' >>"$OKAYA_CONFIG"
    SEND_FIRST=1 measure "okaya (sent)" "$APP" --group 123456
    command -v top >/dev/null && measure "top -d 1" top -d 1
    command -v vim >/dev/null && measure "vim" vim -u NONE -N -i NONE
    command -v less >/dev/null && measure "less" less "$HERE/tui_startup.sh"
  } >"$out.idle"
  stty sane </dev/tty
  touch "$out.done"
  exit 0
fi

[ -x "$APP" ] || { echo "build $APP first (make)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
tmp=$(mktemp -d)
sock=okaya-bench-$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"; rm -rf "$tmp"' EXIT
tmux -L $sock new-session -d -x 80 -y 24 \
  "OKAYA_BENCH_INNER=$tmp/r bash '$HERE/tui_startup.sh' '$BUILD' $RUNS"
for _ in $(seq 1 1200); do [ -e "$tmp/r.done" ] && break; sleep 0.1; done
[ -e "$tmp/r.done" ] || { echo "benchmark did not finish" >&2; exit 1; }

echo "Start to first complete frame, $RUNS runs each, 80x24 tmux pane ($(nproc) CPUs)"
awk '
  { v[$0] = 1; n = split($0, f, " "); name = f[1]; for (i = 2; i < n; i++) name = name " " f[i];
    t[name, ++c[name]] = f[n]; if (!(name in seen)) { seen[name] = 1; order[++k] = name } }
  END {
    printf "%-16s %9s %9s %9s %8s\n", "program", "median", "min", "max", "ratio"
    for (j = 1; j <= k; j++) {
      nm = order[j]; m = c[nm]
      for (a = 1; a <= m; a++) s[a] = t[nm, a]
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] + 0 < s[a] + 0) { x = s[a]; s[a] = s[b]; s[b] = x }
      med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
      if (j == 1) base = med
      printf "%-16s %7.2fms %7.2fms %7.2fms %7.2fx\n", nm, med, s[1], s[m], med / base
    }
  }' "$tmp/r.times"
echo
echo "Idle: resident memory after start, and CPU over 3 s of idling"
awk '
  BEGIN { printf "%-16s %9s %9s %10s %10s\n", "program", "RSS", "peak RSS", "CPU ticks", "wakeups" }
  { n = NF; name = $1; for (i = 2; i <= n - 4; i++) name = name " " $i
    printf "%-16s %7.1fMB %7.1fMB %10d %10d\n", name, $(n-3) / 1024, $(n-2) / 1024, $(n-1), $n }' "$tmp/r.idle"
echo "(CPU ticks: utime+stime in 1/$(getconf CLK_TCK) s; wakeups: context switches)"

# The floor: one request from a bare libcurl program (bench/libcurl_floor.c).
floor_bin=$tmp/libcurl_floor
if cc -O2 -o "$floor_bin" "$HERE/libcurl_floor.c" $(pkg-config --cflags --libs libcurl) 2>/dev/null; then
  kb=$("$floor_bin" http://127.0.0.1:9/ | grep -oE '[0-9]+')
  awk -v kb="$kb" 'BEGIN { printf "%-16s %7.1fMB   (a bare libcurl program after one request: the floor for \"okaya (sent)\")\n", "libcurl floor", kb / 1024 }'
fi

#!/bin/bash
# make bench: okaya-privacy against its peers, side by side in one run, on
# one okaya-sandbox (loopback). Prints a table of medians and ratios.
#   bench/run.sh BUILD   (BENCH_N=10000 BENCH_LOOP=500 BENCH_ROUNDS=5 BENCH_RUNS_SET=40
#                         BENCH_RUNS_BATCH=1 to change)
set -eu
[ -n "${BENCH_DEBUG:-}" ] && set -x
BUILD=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
APP=$BUILD/okaya-privacy
N=${BENCH_N:-10000}          # batch size
LOOP=${BENCH_LOOP:-500}      # sample of the shell loop, scaled up to N
RUNS_SET=${BENCH_RUNS_SET:-40}      # runs of each side per round
RUNS_BATCH=${BENCH_RUNS_BATCH:-1}
ROUNDS=${BENCH_ROUNDS:-5}           # rounds, the two sides' order swapped each time
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (make deps)" >&2; exit 1; }

TMP=$(mktemp -d)
SANDBOX_PID=""
cleanup() { [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# The log goes to /dev/null after the first line: the server's printing
# should not be what we measure.
# A batch touches N different participants (as a real one would: lines for
# one target are applied in order, one at a time), so the sandbox gets a
# fixture with N of them under the demo key.
python3 - "$N" "$TMP/fixture.json" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
group = {"groupID": 123456, "groupName": "Bench", "requestedPrivacyLevel": [],
         "inviteCode": "bench", "key": "gk_fixturebench", "consentRequired": "false", "credits": 0}
parts = [{"externalID": "ok_bench%d" % i,
          "userGroups": [{"groupID": 123456, "joinDate": "2024-01-01T00:00:00Z", "privacyLevel": 0}]}
         for i in range(n)]
json.dump({"_comment": "generated bench fixture; fixture keys only",
           "enterprises": [{"name": "Bench", "apiKey": "demo-key", "groups": [group],
                            "participants": parts}]}, open(path, "w"))
PY
"$BUILD/okaya-sandbox" --port 0 --fixture "$TMP/fixture.json" > >(head -n 1 >"$TMP/url"; cat >/dev/null) 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.05; done
URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$TMP/url") || { echo "bench: sandbox did not start" >&2; exit 1; }

# Both sides use the demo key from a place that is not the command line.
export OKAYA_CONFIG=$TMP/config.cfg OKAYA_HISTORY=$TMP/history.jsonl OKAYA_API_KEY=demo-key
unset OKAYA_BASE_URL
printf 'x-api-key: demo-key\nContent-Type: application/json\nAccept: application/json\n' >"$TMP/headers"
BODY='{"requestedPrivacyLevel":["mhci","transcript"]}'

# The same N requests, as a batch file and as a curl config file.
for i in $(seq 0 $((N - 1))); do
  echo "participant ok_bench$i mhci,transcript"
done >"$TMP/batch.txt"
# "next" separates requests; after the last one it would start an empty one.
for i in $(seq 0 $((N - 1))); do
  [ "$i" -gt 0 ] && echo next
  printf 'url = "%s/configure/participants/ok_bench%d/privacy"\nrequest = "POST"\nheader = "@%s"\ndata-raw = "%s"\noutput = "/dev/null"\n' \
    "$URL" "$i" "$TMP/headers" "${BODY//\"/\\\"}"
done >"$TMP/curl.cfg"
CURL_ONE="curl -sS -o /dev/null -X POST -H @$TMP/headers --data-raw '$BODY' $URL/configure/groups/123456/privacy"

# A sanity pass: both sides succeed before we time them.
"$APP" --base-url "$URL" -q set group 123456 mhci,transcript || { echo "bench: set failed" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H @"$TMP/headers" --data-raw "$BODY" \
      "$URL/configure/groups/123456/privacy")" = 200 ] || { echo "bench: curl failed" >&2; exit 1; }

median() {  # median JSON INDEX -> seconds
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"
}
# peak_rss_kb CMD...: the command's peak resident set in KiB. GNU time when
# installed (Debian package `time`); else VmHWM from /proc, read until the
# process ends (the peak of a batch is reached well before its last 10 ms).
# Not getrusage from a wrapper: a child forked from python starts with
# python's pages, and maxrss survives exec.
peak_rss_kb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>&1; cat "$TMP/rss"; return
  fi
  "$@" >/dev/null 2>&1 &
  local pid=$! hwm=0 v
  while v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$v" ]; do
    hwm=$v; sleep 0.01
  done
  wait "$pid"; echo "$hwm"
}

echo "okaya-privacy bench: sandbox $URL, $(nproc) CPUs, $(curl --version | head -n 1 | cut -d' ' -f1-2)" >&2
# rounds NAME RUNS WARMUP OURS PEER: ROUNDS hyperfine runs of both sides,
# NAME.R.json each, ours first in odd rounds and second in even ones. A
# shared machine drifts: the ratio is taken within each round, side by side.
rounds() {
  local name=$1 runs=$2 warm=$3 ours=$4 peer=$5 r a b
  for r in $(seq 1 "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then a=$ours b=$peer; else a=$peer b=$ours; fi
    hyperfine -N --warmup "$warm" --runs "$runs" --export-json "$TMP/$name.$r.json" \
      "$a" "$b" >/dev/null 2>&1 ||
      hyperfine --warmup "$warm" --runs "$runs" --export-json "$TMP/$name.$r.json" \
      "$a" "$b" >/dev/null
  done
}

echo "(1/4) one set vs one curl POST, $ROUNDS rounds of $RUNS_SET runs each" >&2
rounds one "$RUNS_SET" 3 "$APP --base-url $URL set group 123456 mhci,transcript" "$CURL_ONE"

echo "(2/4) batch of $N, 8 in flight, vs curl --parallel, $ROUNDS rounds of $RUNS_BATCH" >&2
rounds batch "$RUNS_BATCH" 1 "$APP --base-url $URL --jobs 8 batch $TMP/batch.txt" \
  "curl -sS --parallel --parallel-max 8 -K $TMP/curl.cfg"

echo "(3/4) a shell loop of $LOOP curl processes (scaled to $N)" >&2
cat >"$TMP/loop.sh" <<L
for i in \$(seq 1 $LOOP); do $CURL_ONE; done
L
hyperfine --warmup 1 --runs 3 --export-json "$TMP/loop.json" "bash $TMP/loop.sh" >/dev/null 2>&1

echo "(4/4) peak memory of the batch" >&2
rss_ours=$(peak_rss_kb "$APP" --base-url "$URL" --jobs 8 batch "$TMP/batch.txt")
rss_curl=$(peak_rss_kb curl -sS --parallel --parallel-max 8 -K "$TMP/curl.cfg")

python3 - "$TMP" "$N" "$LOOP" "$rss_ours" "$rss_curl" "$ROUNDS" <<'PY'
import json, statistics, sys
tmp, n, loop, rss_ours, rss_curl, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
med = lambda f, i: json.load(open(f"{tmp}/{f}.json"))["results"][i]["median"]

def paired(name):
    # (our median, peer median, median of the per-round ratios, lowest, highest ratio)
    ours, peer, ratios = [], [], []
    for r in range(1, rounds + 1):
        o, p = (0, 1) if r % 2 == 1 else (1, 0)
        ours.append(med(f"{name}.{r}", o)); peer.append(med(f"{name}.{r}", p))
        ratios.append(ours[-1] / peer[-1])
    return statistics.median(ours), statistics.median(peer), statistics.median(ratios), min(ratios), max(ratios)

set_ours, set_curl, set_ratio, set_lo, set_hi = paired("one")
b_ours, b_curl, b_ratio, b_lo, b_hi = paired("batch")
loop_scaled = med("loop", 0) * n / loop
rows = [
    ("one set vs one curl POST (process)", f"{set_ours*1e3:.2f} ms", f"{set_curl*1e3:.2f} ms",
     set_ratio, "<= 1.2", set_ratio <= 1.2),
    (f"batch {n}, --jobs 8 vs curl --parallel 8", f"{b_ours:.2f} s", f"{b_curl:.2f} s",
     b_ratio, "<= 1.0", b_ratio <= 1.0),
    (f"batch {n} vs shell loop of curl*", f"{b_ours:.2f} s", f"{loop_scaled:.1f} s",
     loop_scaled / b_ours, ">= 20x faster", loop_scaled / b_ours >= 20),
    (f"peak RSS, batch {n}", f"{rss_ours/1024:.1f} MB", f"{rss_curl/1024:.1f} MB",
     rss_ours / rss_curl, "< 16 MB", rss_ours < 16 * 1024),
]
print(f"{'benchmark':42} {'okaya-privacy':>13} {'peer':>10} {'ratio':>7}  target")
for name, ours, peer, ratio, target, ok in rows:
    print(f"{name:42} {ours:>13} {peer:>10} {ratio:7.2f}  {target} {'ok' if ok else 'MISSED'}")
print(f"ratios: median over {rounds} rounds, each side by side (set {set_lo:.2f}-{set_hi:.2f},"
      f" batch {b_lo:.2f}-{b_hi:.2f}); times: medians")
print(f"* loop of {loop} curl processes, time scaled x{n/loop:g};"
      f" ratio for the loop = loop time / batch time")
PY

if [ -x "$HERE/tui_startup.sh" ]; then
  echo "TUI startup:" >&2
  "$HERE/tui_startup.sh" "$BUILD"
fi

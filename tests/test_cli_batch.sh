#!/bin/bash
# `okaya-privacy batch` against real okaya-sandboxes: validation before
# sending, concurrency, 429 / 5xx retries, the 401 stop, Ctrl-C, --json.
. "$(dirname "$0")/lib.sh"

cli_env
# run ARGS...: against whichever sandbox runs now.
run() { run_app --base-url "$SANDBOX_URL" "$@"; }
posts() { sleep 0.1; grep -c 'POST' "$SANDBOX_LOG"; }
count() { printf '%s\n' "$2" | grep -c -- "$1"; }
# lines N [FLAGS]: N valid lines alternating the two demo groups.
lines() {
  local i
  for i in $(seq 1 "$1"); do
    if [ $((i % 2)) -eq 0 ]; then echo "group 123456 ${2:-mhci}"; else echo "group 1710748366424 ${2:-mhci}"; fi
  done
}

sandbox_start || { t_fail "sandbox starts"; t_done; exit 1; }

# ---- validation first: one bad line and nothing is sent ----------------------
cat >"$T_TMP/bad.txt" <<'B'
# a comment, then a blank line

group 123456 mhci
group 12x456 mhci
participant ok_participant1 mhci,typo
team 1 mhci
participant ok_participant2
B
run batch "$T_TMP/bad.txt"
t_eq "invalid lines exit 2" 2 "$RC"
t_contains "bad group ID has its line number" "bad.txt:4: groupID must be a number" "$ERR"
t_contains "unknown flag has its line number" "bad.txt:5: unknown flag" "$ERR"
t_contains "unknown kind has its line number" "bad.txt:6:" "$ERR"
t_contains "missing flags has its line number" "bad.txt:7: FLAGS is empty: write none to clear the level" "$ERR"
t_contains "says nothing was sent" "nothing was sent" "$ERR"
t_eq "invalid batch sent nothing" 0 "$(posts)"
run batch "$T_TMP/missing.txt"
t_eq "missing file exits 2" 2 "$RC"
run batch
t_eq "batch without FILE exits 2" 2 "$RC"

# ---- a good batch -------------------------------------------------------------------
cat >"$T_TMP/good.txt" <<'G'
# groups
group 123456 mhci, transcript
  group 1710748366424 none

participant ok_participant1 all   # not a comment: the flags are "all   # ..."
G
run batch "$T_TMP/good.txt"
t_eq "a trailing # is not a comment: exit 2" 2 "$RC"
sed -i 's/   # not.*//' "$T_TMP/good.txt"
run batch "$T_TMP/good.txt"
t_eq "good batch exits 0" 0 "$RC"
t_eq "one ok line per change" 3 "$(count '^line [0-9]*: ok:' "$OUT")"
t_contains "results carry line numbers" "line 5: ok: participant ok_participant1" "$OUT"
t_contains "summary counts" "3 changes: 3 sent, 3 succeeded, 0 refused, 0 failed" "$ERR"
t_lacks "no progress bar when stderr is not a terminal" "[#" "$ERR"
run recent
t_contains "batch successes are recent" "ok_participant1" "$OUT"

# stdin, a refusal among successes, --json
printf 'group 123456 mhci\ngroup 999999 mhci\nparticipant nobody_here none\n' |
  "$APP" --base-url "$SANDBOX_URL" --json batch - >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
t_eq "batch with refusals exits 1" 1 "$RC"
shape=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), sorted((r["line"], r["outcome"], r["status"]) for r in rows))
print(all(set(r) >= {"target","kind","flags","status","message","error","elapsed_ms"} for r in rows))' "$T_TMP/out")
t_eq "--json: one object per line" "3 [(1, 'ok', 200), (2, 'refused', 400), (3, 'refused', 400)]
True" "$shape"
t_contains "summary is on stderr" "1 succeeded, 2 refused" "$(cat "$T_TMP/err")"

# --dry-run / --curl of a batch
n_before=$(posts)
lines 3 | "$APP" --base-url "$SANDBOX_URL" --dry-run batch - >"$T_TMP/out"
t_eq "--dry-run prints each request" 3 "$(grep -c '^line [0-9]: POST ' "$T_TMP/out")"
lines 3 | "$APP" --base-url "$SANDBOX_URL" --curl batch - >"$T_TMP/out"
t_eq "--curl prints each command" 3 "$(grep -c '^curl ' "$T_TMP/out")"
t_eq "--dry-run and --curl batches sent nothing" "$n_before" "$(posts)"
sandbox_stop

# ---- concurrency: N in flight ------------------------------------------------------------
# Wide margins (1 s a request, 4 s in series): a loaded machine only adds time.
sandbox_start --delay-ms 1000 || t_fail "slow sandbox starts"
# Four different targets: lines for one target run one after another.
printf 'group 123456 mhci\ngroup 1710748366424 mhci\nparticipant ok_participant1 mhci\nparticipant ok_participant2 mhci\n' >"$T_TMP/four.txt"
t0=$(date +%s%N)
run --jobs 4 batch "$T_TMP/four.txt"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_eq "4 slow lines with --jobs 4 succeed" 0 "$RC"
t_check "4 slow lines with --jobs 4 overlap (${ms} ms < 2500)" [ "$ms" -lt 2500 ]
t0=$(date +%s%N)
run --jobs 2 batch "$T_TMP/four.txt"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_check "--jobs 2 keeps at most 2 in flight (${ms} ms >= 2000)" [ "$ms" -ge 2000 ]
sandbox_stop

# ---- 429: Retry-After honoured ------------------------------------------------------------
sandbox_start --rate-limit 5 || t_fail "rate-limited sandbox starts"
lines 12 >"$T_TMP/twelve.txt"
t0=$(date +%s%N)
run --jobs 4 batch "$T_TMP/twelve.txt"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_eq "rate-limited batch still succeeds" 0 "$RC"
t_contains "all 12 succeeded" "12 sent, 12 succeeded" "$ERR"
t_check "the sandbox did say 429" [ "$(grep -c ' 429' "$SANDBOX_LOG")" -gt 0 ]
t_check "waited as told (${ms} ms >= 1000)" [ "$ms" -ge 1000 ]
run --jobs 4 --max-wait 0 batch "$T_TMP/twelve.txt"
t_eq "Retry-After beyond --max-wait counts as failed" 1 "$RC"
t_contains "and says why" "more than --max-wait" "$ERR"
sandbox_stop

# ---- 5xx: retried, at most 3 tries ----------------------------------------------------------
sandbox_start --fail-rate 0.3 --seed 42 || t_fail "flaky sandbox starts"
lines 20 >"$T_TMP/twenty.txt"
run --jobs 1 batch "$T_TMP/twenty.txt"
sent=$(posts)
fails=$(grep -c ' 500' "$SANDBOX_LOG")
t_check "the sandbox answered some 500s ($fails)" [ "$fails" -gt 0 ]
t_check "500s were retried ($sent requests for 20 lines)" [ "$sent" -gt 20 ]
t_contains "summary counts the requests" "20 sent" "$ERR"
t_contains "summary counts retries as requests" "; $sent requests" "$ERR"
ok=$(count '^line [0-9]*: ok:' "$OUT")
failed=$(count ': failed:' "$ERR")
t_eq "every line ends ok or failed" 20 $((ok + failed))
sandbox_stop
sandbox_start --fail-rate 1 || t_fail "broken sandbox starts"
lines 2 >"$T_TMP/two.txt"
run batch "$T_TMP/two.txt"
t_eq "all-500 batch exits 1" 1 "$RC"
t_eq "each line tried 3 times, no more" 6 "$(posts)"
t_contains "gave up is said" "gave up after 3 tries" "$ERR"
sandbox_stop

# ---- 401 stops the batch ---------------------------------------------------------------------
sandbox_start || t_fail "sandbox starts again"
lines 30 >"$T_TMP/thirty.txt"
OKAYA_API_KEY=zz-wrong-zz run --jobs 2 batch "$T_TMP/thirty.txt"
t_eq "401 exits 4" 4 "$RC"
t_check "401 stopped new requests ($(posts) sent)" [ "$(posts)" -le 2 ]
t_check "the rest is reported not sent" [ "$(count '^line [0-9]*: not sent:' "$ERR")" -ge 28 ]
t_contains "the summary explains the stop" "401 Unauthorized" "$ERR"
t_lacks "the key is not shown" "zz-wrong-zz" "$OUT$ERR"
sandbox_stop

# ---- Ctrl-C: once lets in-flight finish, twice cancels ----------------------------------------
sandbox_start --delay-ms 600 || t_fail "slow sandbox starts again"
lines 20 >"$T_TMP/twenty.txt"
"$APP" --base-url "$SANDBOX_URL" --jobs 2 batch "$T_TMP/twenty.txt" >"$T_TMP/out" 2>"$T_TMP/err" &
pid=$!
wait_arrived 2; kill -INT $pid; wait $pid; RC=$?
ERR=$(cat "$T_TMP/err") OUT=$(cat "$T_TMP/out")
t_eq "Ctrl-C exits 130" 130 "$RC"
t_eq "in-flight requests finished" 2 "$(count ': ok:' "$OUT")"
t_eq "the rest was not sent" 18 "$(count '^line [0-9]*: not sent:' "$ERR")"
t_contains "the summary says interrupted" "interrupted" "$ERR"
"$APP" --base-url "$SANDBOX_URL" --jobs 2 batch "$T_TMP/twenty.txt" >"$T_TMP/out" 2>"$T_TMP/err" &
pid=$!
wait_arrived 4; kill -INT $pid; sleep 0.1; kill -INT $pid; wait $pid; RC=$?
ERR=$(cat "$T_TMP/err")
t_eq "second Ctrl-C exits 130" 130 "$RC"
t_eq "second Ctrl-C cancels the in-flight ones" 2 "$(count 'cancelled:' "$ERR")"
t_contains "cancelled ones are said to be uncertain" "may or may not" "$ERR"
sandbox_stop
t_done

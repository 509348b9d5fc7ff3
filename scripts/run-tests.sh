#!/bin/bash
# Runs every Check suite and every shell suite, then prints one closing line
# "N passed, N failed" counted over all test cases of all suites.
#   run-tests.sh BUILD CHECK_BIN... -- SHELL_SUITE...
set -u
build=$1; shift
export OKAYA_BUILD=$build
passed=0 failed=0 broken=""

run_one() {  # name, command...
  local name=$1; shift
  local log; log=$(mktemp)
  "$@" >"$log" 2>&1
  local rc=$?
  local p f
  # Check: "100%: Checks: 12, Failures: 0, Errors: 0"
  if line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1); [ -n "$line" ]; then
    local n fl er
    n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    fl=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    er=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    f=$((fl + er)); p=$((n - f))
  elif line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1); [ -n "$line" ]; then
    p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  else
    p=0; f=1
  fi
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$f" -gt 0 ]; then
    printf '  FAIL  %-28s %3d passed, %d failed\n' "$name" "$p" "$f"
    # What failed, not the passing lines around it: CI keeps only part of the output.
    grep -v '^ok ' "$log" | head -n 80 | sed 's/^/        | /'
    broken="$broken $name"
  else
    printf '  ok    %-28s %3d passed\n' "$name" "$p"
  fi
  rm -f "$log"
}

while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  run_one "$(basename "$1")" "$1"; shift
done
[ $# -gt 0 ] && shift
for suite in "$@"; do
  run_one "$(basename "$suite" .sh)" bash "$suite"
done

[ -n "$broken" ] && echo "failing suites:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

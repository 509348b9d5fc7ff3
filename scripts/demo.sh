#!/bin/bash
# make demo: okaya-sandbox on a free port with the demo fixture, and the TUI
# on it with a throw-away config whose key is the fixture's ("demo-key").
# Quitting the TUI stops the sandbox and removes the config.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd) || exit 1

dir=$(mktemp -d)
sandbox_pid=""
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$BUILD/okaya-sandbox" --port 0 --fixture "$ROOT/sandbox/fixtures/demo.json" \
  >"$dir/sandbox.log" 2>&1 &
sandbox_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(head -n 1 "$dir/sandbox.log" 2>/dev/null | grep -oE 'http://127\.0\.0\.1:[0-9]+')
  [ -n "$url" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "demo: the sandbox did not start:" >&2
  cat "$dir/sandbox.log" >&2
  exit 1
fi

umask 077
cat >"$dir/config.cfg" <<EOC
# Throw-away demo config: fixture key of okaya-sandbox, not a real credential.
api_key = "demo-key";
base_url = "$url";
EOC
echo "demo: sandbox at $url (groups 1710748366424, 123456; participants ok_participant1, ok_participant2)"
# The demo keeps its history with its config: it never touches your real audit log.
OKAYA_CONFIG="$dir/config.cfg" OKAYA_HISTORY="$dir/history.jsonl" "$BUILD/okaya-privacy"

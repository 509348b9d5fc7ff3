#!/bin/sh
# Installs the Debian packages okaya-privacy needs to build and test.
# As root it runs apt-get; otherwise it uses sudo when that works without a
# prompt; otherwise it prints the exact command and fails.
set -e
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }

missing=""
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
    missing="$missing $pkg"
done
[ -n "$missing" ] || { echo "deps: all packages present" >&2; exit 0; }

line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing" >&2
  sh -c "$line" >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "deps: installing$missing (sudo)" >&2
  sudo -n sh -c "$line" >&2
else
  echo "deps: missing packages:$missing" >&2
  echo "deps: run this as root, then run make again:" >&2
  echo "  sudo sh -c '$line'" >&2
  exit 1
fi

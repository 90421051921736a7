#!/usr/bin/env bash
# Real-browser test of /demo/ and embed.js (headless Chromium + selenium).
#   Tests/Browser/run.sh [--keep]
# Installs Debian's chromium and chromium-driver when missing, keeps selenium in a venv
# (MODERATO_BROWSER_VENV, default /tmp/moderato-browser-venv), builds the debug binary and runs
# Tests/Browser/test_demo.py. Screenshots: Tests/Browser/screenshots/. Exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A Japanese font only makes the screenshots readable (the demo page is in Japanese).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
   || ! fc-list 2>/dev/null | grep -qiE 'ipa|noto.*cjk|takao|vl gothic'; then
    echo "==> installing chromium, chromium-driver and a Japanese font"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver fonts-ipafont-gothic
fi

VENV="${MODERATO_BROWSER_VENV:-/tmp/moderato-browser-venv}"
if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    if ! python3 -m venv "$VENV"; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
        python3 -m venv "$VENV"
    fi
fi
if ! "$VENV/bin/python" -c 'import selenium' >/dev/null 2>&1; then
    echo "==> installing selenium into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check selenium
fi

echo "==> swift build --product moderato"
swift build --product moderato
BIN="$(swift build --product moderato --show-bin-path)/moderato"

echo "==> browser test against $BIN"
exec "$VENV/bin/python" Tests/Browser/test_demo.py --binary "$BIN" "$@"

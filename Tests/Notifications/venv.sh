#!/usr/bin/env bash
# The Python side of the notification tests, in a venv of its own (git-ignored), made on first use:
# aiosmtpd (a real SMTP server on loopback for the msmtp test) and standardwebhooks (the reference
# Standard Webhooks verifier, which the webhook receiver checks every delivery with).
# Prints the venv's python. MODERATO_NOTIFY_VENV overrides where it lives.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${MODERATO_NOTIFY_VENV:-$PWD/.build-venv/notify}"
WANT="aiosmtpd==1.4.6 standardwebhooks==1.1.0"
if [ ! -f "$VENV/.installed" ] || [ "$(cat "$VENV/.installed")" != "$WANT" ]; then
    {
        rm -rf "$VENV"
        if ! python3 -m venv "$VENV"; then
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq && apt-get install -y -qq python3-venv
            rm -rf "$VENV"
            python3 -m venv "$VENV"
        fi
        # shellcheck disable=SC2086
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $WANT
        echo "$WANT" > "$VENV/.installed"
    } >&2
fi
echo "$VENV/bin/python"

#!/usr/bin/env bash
# The browser tests' Chromium: Debian's package, driven by Playwright through executable_path
# (tests/browser). Never `playwright install`: no browser downloads. Idempotent.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
    apt-get update
    apt-get install -y chromium
fi
/usr/bin/chromium --version

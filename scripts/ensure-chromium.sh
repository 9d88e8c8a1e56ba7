#!/usr/bin/env sh
# Makes sure a Chromium is installed for the browser tests and the screenshots
# (tests/web/browser.test.ts, scripts/web-screenshots.ts): playwright-core drives the
# system's Chromium and never downloads a browser of its own.
# Prints the path on stdout; exits 1 with what to install when it cannot install it.
set -eu

found() {
  if [ -x /usr/bin/chromium ]; then
    echo /usr/bin/chromium
    return 0
  fi
  command -v chromium 2>/dev/null || return 1
}

if found; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Chromium with apt-get (a few minutes) ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  if found; then
    echo "ensure-chromium: Chromium installed" >&2
    exit 0
  fi
  echo "ensure-chromium: apt-get installed chromium, yet no chromium on PATH or at /usr/bin/chromium" >&2
  exit 1
fi

echo "ensure-chromium: no Chromium found. Install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium) so that /usr/bin/chromium or \`chromium\` on PATH exists." >&2
exit 1

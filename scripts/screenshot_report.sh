#!/usr/bin/env bash
# Write the HTML report and take a screenshot of it in headless Chromium, to look at it as a reader would.
#
#   scripts/screenshot_report.sh [OUT.png] [reconcile report options...]
#   scripts/screenshot_report.sh report.png --group casualties
#
# Needs Chromium (Debian: apt-get install chromium) and matplotlib for the charts
# (pip install 'reconcile[plot]'). CHROMIUM=/path/to/chrome picks another browser binary, WIDTH=390
# a phone's width (default 1280), HEIGHT the page's height (default 3000).
set -euo pipefail

out="${1:-report.png}"
shift || true
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$browser" ]]; then
    echo "Error: Chromium not found; install it (apt-get install chromium) or set CHROMIUM" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
reconcile report -o "$work/report.html" "$@"
width="${WIDTH:-1280}"
height="${HEIGHT:-3000}"
page="$work/report.html"
if (( width < 500 )); then
    # Chromium's headless window is at least 500 pixels wide: a narrower screen is a frame's width.
    page="$work/frame.html"
    printf '<!DOCTYPE html><body style="margin:0"><iframe style="width:%spx;height:%spx;border:0" src="report.html"></iframe>' \
        "$width" "$height" >"$page"
fi
# A throwaway profile and no background traffic: the page itself must not need the network.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$width,$height" \
    --screenshot="$(realpath -m "$out")" "file://$page" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
}
echo "wrote $out" >&2

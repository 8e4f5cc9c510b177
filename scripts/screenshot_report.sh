#!/usr/bin/env bash
# Write the HTML report and take a screenshot of it in headless Chromium, to look at it as a reader would.
#
#   scripts/screenshot_report.sh [OUT.png] [reconcile report options...]
#   scripts/screenshot_report.sh report.png --group casualties
#
# Needs Chromium (Debian: apt-get install chromium) and matplotlib for the charts
# (pip install 'reconcile[plot]'). CHROMIUM=/path/to/chrome picks another browser binary.
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
# A throwaway profile and no background traffic: the page itself must not need the network.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1200,"${HEIGHT:-3000}" \
    --screenshot="$(realpath -m "$out")" "file://$work/report.html" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
}
echo "wrote $out" >&2

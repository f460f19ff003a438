#!/usr/bin/env bash
# Lighthouse scores (mobile preset: performance, accessibility, best practices, SEO) of the home, programme and
# session pages in English and Russian, as a report, not a test. Serves the demo with production settings and
# gunicorn (2 workers) from a throwaway SQLite database on a loopback port, runs Lighthouse from npm (installed
# once per version under var/lighthouse/) with Debian's chromium, prints one line per page and stops the server.
# Usage: bench/lighthouse.sh [port]   (default 18960; CHROME_PATH overrides /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=12.8.2
PORT=${1:-18960}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LIGHTHOUSE="var/lighthouse/$VERSION/node_modules/.bin/lighthouse"
PAGES=(/ /vilnius-2017/programme/ /vilnius-2017/programme/from-street-to-government/
       /ru/ /ru/vilnius-2017/programme/ /ru/vilnius-2017/programme/from-street-to-government/)

[ -x "$CHROME_PATH" ] || { echo "chromium not found at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }
if [ ! -x "$LIGHTHOUSE" ]; then
  mkdir -p "var/lighthouse/$VERSION"
  npm install --silent --no-audit --no-fund --prefix "var/lighthouse/$VERSION" "lighthouse@$VERSION" >&2
fi

workdir=$(mktemp -d /tmp/lighthouse-bench.XXXXXX)
export VAR_DIR="$workdir" DATABASE_URL="sqlite:///$workdir/db.sqlite3" DJANGO_SETTINGS_MODULE=conference.settings.production
export SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz SECURE_SSL_REDIRECT=false
export SECURE_COOKIES=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=ERROR SITE_URL="http://127.0.0.1:$PORT"
unset REDIS_URL
server=""
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$workdir"; }
trap cleanup EXIT

echo "Preparing the demo (migrate, collectstatic, load_demo)…" >&2
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py load_demo --no-registrations -v0
.venv/bin/python -m gunicorn conference.wsgi --workers 2 --bind "127.0.0.1:$PORT" --no-control-socket \
  --log-level warning &
server=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$SITE_URL/healthz" && break; sleep 0.2; done
for path in "${PAGES[@]}"; do curl -fs -o /dev/null "$SITE_URL$path"; done  # the first render is not measured

printf '%-58s %5s %5s %5s %5s %7s %6s\n' page perf a11y bp seo 'LCP s' CLS
for path in "${PAGES[@]}"; do
  report="$workdir/report.json"
  "$LIGHTHOUSE" "$SITE_URL$path" --quiet --output=json --output-path="$report" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$workdir/lighthouse.log" ||
    { echo "lighthouse failed on $path:" >&2; tail -5 "$workdir/lighthouse.log" >&2; exit 1; }
  .venv/bin/python - "$report" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
categories, audits = report["categories"], report["audits"]
scores = [round(categories[name]["score"] * 100) for name in ("performance", "accessibility", "best-practices", "seo")]
lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
cls = audits["cumulative-layout-shift"]["numericValue"]
print(f"{sys.argv[2]:<58} " + " ".join(f"{score:>5}" for score in scores) + f" {lcp:>7.1f} {cls:>6.3f}")
PY
done

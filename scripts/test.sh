#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: unit tests, then the production build, then the
# HTTP integration suite against the real server on PGlite, on PostgreSQL and on the Redis run-log
# backend, then two instances sharing Redis and PostgreSQL (scale-out and its faults), then the
# browser specs in Debian's Chromium. Ends with one line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" NEXT_TELEMETRY_DISABLED=1
RESULTS=.tmp/test-results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { "$@" || status=1; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Throwaway servers of the steps below, stopped once their steps are over (the browser step
# measures the page's main thread on this machine's cores) and however the script ends.
PGDIR= REDISDIR= REDIS_PID=
cleanup() {
  if [ -n "$PGDIR" ]; then bash scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1; rm -rf "$PGDIR"; PGDIR=; fi
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null; REDIS_PID=; fi
  if [ -n "$REDISDIR" ]; then rm -rf "$REDISDIR"; REDISDIR=; fi
}
trap cleanup EXIT

[ -d node_modules ] || npm install --no-audit --no-fund
bash scripts/system-deps.sh || exit 1

step "unit tests"
run vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS/unit.json"

step "python workers (unittest)"
run python3 python/run_tests.py "$RESULTS/python.json"

step "production build"
if ! next build; then echo "next build failed"; exit 1; fi

step "integration: production server on PGlite"
run vitest run --config vitest.integration.config.ts --reporter=default --reporter=json --outputFile.json="$RESULTS/integration-pglite.json"

step "integration: production server on PostgreSQL"
PGDIR=$(mktemp -d /tmp/streamconsole-pg.XXXXXX)
PGPORT=$(free_port)
if PGURL=$(bash scripts/postgres.sh start "$PGDIR" "$PGPORT"); then
  run env TEST_DATABASE_URL="$PGURL" vitest run lib/db lib/flags --reporter=default --reporter=json --outputFile.json="$RESULTS/db-postgres.json"
  run env DATABASE_URL="$PGURL" vitest run --config vitest.integration.config.ts --reporter=default --reporter=json --outputFile.json="$RESULTS/integration-postgres.json"
else
  echo "could not start PostgreSQL"; status=1
fi

step "integration: production server on the Redis run-log backend"
REDISDIR=$(mktemp -d /tmp/streamconsole-redis.XXXXXX)
REDISPORT=$(free_port)
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDISDIR" >"$REDISDIR/server.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$REDISPORT") 2>/dev/null && break; sleep 0.1; done
# The same suite as above, every server's runs logged in Redis (on PGlite: the database is not the point here).
run env REDIS_URL="redis://127.0.0.1:$REDISPORT" vitest run --config vitest.integration.config.ts --reporter=default --reporter=json --outputFile.json="$RESULTS/integration-redis.json"

step "integration: two instances sharing Redis and PostgreSQL"
# Each test file starts its own redis-server (they restart it, and kill instances). On the
# PostgreSQL cluster of the PostgreSQL step when it started; otherwise the suite starts its own.
run env ${PGURL:+DATABASE_URL="$PGURL"} vitest run --config vitest.scaleout.config.ts --reporter=default --reporter=json --outputFile.json="$RESULTS/integration-scale-out.json"

cleanup
# A server or worker an earlier step left running would take the cores the browser step measures.
if left=$(pgrep -af 'next-server|next start|saturn/worker.py'); then echo "left running by earlier steps:"; echo "$left"; fi
step "browser: Playwright in Debian Chromium"
run env PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/browser.json" playwright test --reporter=list,json

step "summary"
node scripts/test-summary.mjs "$RESULTS" || status=1
exit $status

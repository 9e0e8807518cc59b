#!/usr/bin/env bash
# The load test of docs/benchmarks.md: a release build serving a demo org on SQLite, and wrk
# with 64 connections on the same machine, against the person page and GET /api/v1/people/{id}
# over random ids, then the person page of people with an assessment record; signed in as the
# demo's hr account. Prints wrk's figures, the server's processor time per request and its
# resident memory; then the issue's two reference points on the same machine (bench/reference.sh,
# skipped with REFERENCE=0), since machines here differ in speed by more than two times.
#   [AS=hr|top] [REFERENCE=0] bash bench/load-test.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
people=${1:-100000}
seconds=${2:-20}
folder=$(mktemp -d)
cargo build --release --quiet
./target/release/rungs --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr 127.0.0.1:18080 2>"$folder/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$folder"' EXIT
wait_healthy 127.0.0.1:18080
# Every page needs an account: sign in with the password the server printed, and send the
# session cookie with every request. AS=hr (the default) signs in as the demo's hr account,
# which sees everyone by its role; AS=top as the person at the top of the org, who sees everyone
# as their manager (so every request also walks the management chain to decide).
cookie=$(demo_cookie "$folder/serve.log" 127.0.0.1:18080 "${AS:-hr}")
[ -n "$cookie" ] || { echo "could not sign in as ${AS:-hr}"; exit 2; }
echo "== demo of $people people loaded; signed in as ${AS:-hr}; warming up"
PEOPLE=$people PREFIX=/people/ wrk -t2 -c64 -d5s -H "Cookie: $cookie" -s bench/random-person.lua http://127.0.0.1:18080 >/dev/null
# The server's processor time (user and system, from /proc) per request: steadier than
# requests/s on a machine whose speed varies, and free of wrk's share of the two cores.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)
# The third run draws only the first 500 ids, nearly all of whom the demo assessed: the page of
# a person with a record (about 4 assessments, 194 ratings, 63 pieces of evidence), which is
# what most pages of a real org are after a cycle.
for run in /people/ /api/v1/people/ /people/:500; do
  prefix=${run%%:*}
  last=$people
  [ "$run" = "$prefix" ] || last=${run##*:}
  echo "== GET ${prefix}{id} over ids 1-$last, 64 connections, ${seconds}s"
  before=$(server_ticks)
  PEOPLE=$people PREFIX=$prefix LAST=$last wrk -t2 -c64 -d"${seconds}s" --latency -H "Cookie: $cookie" -s bench/random-person.lua http://127.0.0.1:18080 | tee "$folder/wrk.txt"
  after=$(server_ticks)
  requests=$(awk '/requests in/ { print $1 }' "$folder/wrk.txt")
  echo "Server processor time per request: $(( (after - before) * 1000000 / ticks_per_second / requests )) µs"
done
echo "== server resident memory"
grep -E "VmRSS|VmHWM" "/proc/$server/status"
kill $server
if [ "${REFERENCE:-1}" != 0 ]; then
  bash bench/reference.sh "$people" "$seconds"
fi

#!/usr/bin/env bash
# The pages of a cycle in progress (docs/benchmarks.md): on a demo org whose open cycle runs on a
# schedule, a person's task page (`/`) against their own person page, interleaved in the same
# run, as server processor time per request under wrk; then HR's cycle page (its progress over
# every participant) and its CSV, timed next to the team view of the top of the org, with the
# server's resident memory before and after.
# ASSESSED=N first fills the file with `rungs demo load --people PEOPLE --assessed N` (N =
# PEOPLE: everyone assessed in two cycles), then serves it; without it the demo assesses 500.
#   [ROUNDS=3] [ASSESSED=N] bash bench/cycle-pages.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
people=${1:-100000}
seconds=${2:-10}
rounds=${ROUNDS:-3}
address=127.0.0.1:18081
folder=$(mktemp -d)
cargo build --release --quiet
if [ -n "${ASSESSED:-}" ]; then
  ./target/release/rungs --db "sqlite://$folder/rungs.db" demo load --people "$people" --assessed "$ASSESSED" >/dev/null
fi
./target/release/rungs --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr "$address" 2>"$folder/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$folder"' EXIT
wait_healthy "$address"
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)
rss() { awk '/VmRSS/ { print $2 / 1024 " MB" }' "/proc/$server/status"; }
# Server time per request of PATH over SECONDS with 16 connections.
per_request() {
  local cookie=$1 path=$2 before after requests
  before=$(server_ticks)
  wrk -t2 -c16 -d"${seconds}s" -H "Cookie: $cookie" "http://$address$path" >"$folder/wrk.txt"
  after=$(server_ticks)
  requests=$(awk '/requests in/ { print $1 }' "$folder/wrk.txt")
  echo "$(( (after - before) * 1000000 / ticks_per_second / requests )) µs $(awk '/Requests\/sec/ { print $2 }' "$folder/wrk.txt") req/s"
}
for who in manager top; do
  cookie=$(demo_cookie "$folder/serve.log" "$address" "$who")
  me=$(curl -s -H "Cookie: $cookie" "http://$address/api/v1/me" | sed -n 's/.*"person":"\([^"]*\)".*/\1/p')
  tasks=$(curl -s -H "Cookie: $cookie" "http://$address/api/v1/me/tasks" | grep -o '"kind"' | wc -l)
  echo "== $who ($me, $tasks tasks): person page and task page, $rounds interleaved rounds of ${seconds}s"
  for round in $(seq 1 "$rounds"); do
    echo "round $round: /people/$me $(per_request "$cookie" "/people/$me"); / $(per_request "$cookie" /)"
  done
done
hr=$(demo_cookie "$folder/serve.log" "$address" hr)
top=$(curl -s -H "Cookie: $hr" "http://$address/api/v1/org/stats" >/dev/null; demo_cookie "$folder/serve.log" "$address" top)
top_id=$(curl -s -H "Cookie: $top" "http://$address/api/v1/me" | sed -n 's/.*"person":"\([^"]*\)".*/\1/p')
echo "== hr: the cycle page, its CSV and the team view of $top_id; resident $(rss) before"
for round in $(seq 1 "$rounds"); do
  for path in /admin/cycles/2026-H2 /admin/cycles/2026-H2/progress.csv "/api/v1/people/$top_id/team"; do
    echo "round $round: $path $(curl -s -o /dev/null -w '%{time_total} s, %{size_download} bytes' -H "Cookie: $hr" "http://$address$path")"
  done
done
echo "resident $(rss) after; peak $(awk '/VmHWM/ { print $2 / 1024 " MB" }' "/proc/$server/status")"

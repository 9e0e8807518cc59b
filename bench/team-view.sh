#!/usr/bin/env bash
# The team view of the top of a fully assessed demo org, against the issue's reference: one
# sqlite3 query that aggregates every agreed rating of the same file, timed in the same run.
#   [ASSESSED=N] bash bench/team-view.sh [PEOPLE] [RUNS]
# Fills a fresh SQLite file with `rungs demo load --people N --assessed N` (everyone assessed
# in two cycles; ASSESSED=N assesses only the first N), serves it, and prints for
# GET /api/v1/people/TOP/team:
#   - the first request (every standing computed from the records and stored),
#   - the median of RUNS requests one after the other, and its ratio to the reference,
#   - the server's peak memory growth during them (VmHWM, reset before),
#   - two requests at once: the slower one's time, its ratio to one request, and the growth.
# Needs sqlite3 (apt-get install -y sqlite3) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
people=${1:-100000}
runs=${2:-5}
assessed=${ASSESSED:-$people}
folder=$(mktemp -d)
address=127.0.0.1:18085
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$folder"' EXIT
cargo build --release --quiet -p rungs-cli
rungs=./target/release/rungs
db="$folder/rungs.db"

seconds() { python3 -c 'import sys, time; print(f"{time.time():.3f}")'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

start=$(seconds)
"$rungs" --db "sqlite://$db" demo load --people "$people" --assessed "$assessed" >/dev/null
echo "== demo load of $people people, $assessed assessed: $(python3 -c "print(f'{$(seconds) - $start:.1f}')") s"
agreements=$(sqlite3 "$db" "SELECT count(*) FROM agreements")
top=$(sqlite3 "$db" "SELECT id FROM people WHERE manager_id IS NULL AND status = 'active' ORDER BY id LIMIT 1")
echo "   $agreements agreed ratings; the top of the org is $top"

reference() {
  local start end
  start=$(seconds)
  sqlite3 "$db" "SELECT expectation_id, count(*), sum(rating = 'meets') FROM agreements GROUP BY expectation_id" >/dev/null
  end=$(seconds)
  python3 -c "print(f'{$end - $start:.3f}')"
}
reference >/dev/null # warm the page cache as the server's reads will be
references=$(for run in $(seq 1 "$runs"); do reference; done | median)

"$rungs" --db "sqlite://$db" serve --demo --addr $address >/dev/null 2>"$folder/serve.log" &
server=$!
wait_healthy $address
cookie=$(demo_cookie "$folder/serve.log" $address top)
[ -n "$cookie" ] || { echo "could not sign in"; exit 2; }
url="http://$address/api/v1/people/$top/team"
one() { curl -sf -o /dev/null -H "Cookie: $cookie" -w '%{time_total}\n' "$url"; }

echo 5 >"/proc/$server/clear_refs"
rss_before=$(kib $server VmRSS)
first=$(one)
echo "== first request (every standing computed and stored): ${first} s, peak growth $(( ($(kib $server VmHWM) - rss_before) / 1024 )) MB"

echo 5 >"/proc/$server/clear_refs"
rss_before=$(kib $server VmRSS)
times=$(for run in $(seq 1 "$runs"); do one; done)
single=$(echo "$times" | median)
growth=$(( ($(kib $server VmHWM) - rss_before) / 1024 ))
echo "== team view, $runs requests one after another: $(echo $times | tr '\n' ' ')s"
echo "   median ${single} s; reference query median ${references} s; ratio $(python3 -c "print(f'{$single / $references:.2f}')")x (target at most 2x)"
echo "   server peak memory growth ${growth} MB (target at most 64 MB); RSS now $(( $(kib $server VmRSS) / 1024 )) MB"

echo 5 >"/proc/$server/clear_refs"
rss_before=$(kib $server VmRSS)
pairs=$(for run in $(seq 1 "$runs"); do
  one >"$folder/a" & one >"$folder/b" & wait
  sort -n "$folder/a" "$folder/b" | tail -1
done)
pair=$(echo "$pairs" | median)
growth=$(( ($(kib $server VmHWM) - rss_before) / 1024 ))
echo "== two requests at once, the slower of each pair: $(echo $pairs | tr '\n' ' ')s"
echo "   median ${pair} s, $(python3 -c "print(f'{$pair / $single:.2f}')")x one request (target at most 2x); peak growth ${growth} MB (target at most 64 MB)"

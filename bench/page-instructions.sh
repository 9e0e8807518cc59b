#!/usr/bin/env bash
# Instructions per person page, counted by valgrind's callgrind: unlike requests/s, the count
# is the same from run to run on a machine whose speed varies, so it shows changes of 1-2%.
# A release build serves a demo org on SQLite (made first without valgrind); after 20 requests
# to warm the caches, the counters are zeroed, 300 person pages over random ids (the same ids
# every run) are requested one after another as the top manager, and the server's instructions
# (all threads; the kernel's work is not counted) are divided by 300.
#   [FIRST=1 LAST=PEOPLE] [KEEP=FOLDER] [BINARY=path] bash bench/page-instructions.sh [PEOPLE] [PREFIX]
# PREFIX /api/v1/people/ measures the API. FIRST and LAST narrow the ids drawn: LAST=500 draws
# the people the demo assessed (the first 500 with a manager and a next level, so nearly all
# of the first 500 ids). KEEP saves the callgrind profile there, for callgrind_annotate. BINARY
# measures another build (an older commit's) instead of this checkout's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
people=${1:-100000}
prefix=${2:-/people/}
folder=$(mktemp -d)
binary=${BINARY:-./target/release/rungs}
[ -n "${BINARY:-}" ] || cargo build --release --quiet
address=127.0.0.1:18081
serve() { "$@" "$binary" --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr $address 2>>"$folder/serve.log" >/dev/null & }
serve env; server=$!
trap 'kill $server 2>/dev/null; rm -rf "$folder"' EXIT
wait_healthy $address
kill $server; wait $server 2>/dev/null || true
serve valgrind --tool=callgrind --callgrind-out-file="$folder/callgrind.out.%p"; server=$!
wait_healthy $address
cookie=$(demo_cookie "$folder/serve.log" "$address" top)
[ -n "$cookie" ] || { echo "could not sign in"; exit 2; }
requests() {
  python3 - "$cookie" "$prefix" "$people" "$1" "$2" "${FIRST:-1}" "${LAST:-$people}" <<'PY'
import http.client, random, sys
cookie, prefix, people, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
first, last = int(sys.argv[6]), int(sys.argv[7])
random.seed(seed)
# The demo's ids are E and the position, zero-padded to at least five digits.
width = max(5, len(str(people)))
connection = http.client.HTTPConnection("127.0.0.1", 18081)
for _ in range(count):
    connection.request("GET", "%sE%0*d" % (prefix, width, random.randint(first, last)), headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
PY
}
requests 20 1
callgrind_control -z "$server" >/dev/null 2>&1
requests 300 7
callgrind_control -d "$server" >/dev/null 2>&1
sleep 1
profile=$(ls "$folder"/callgrind.out.*.1)
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP" && cp "$profile" "$KEEP/"; }
total=$(callgrind_annotate "$profile" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "GET ${prefix}{id}: $((total / 300)) instructions per request ($people people)"

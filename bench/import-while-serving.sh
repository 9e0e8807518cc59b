#!/usr/bin/env bash
# How long a CLI import of the whole org takes while a server on the same SQLite database is
# busy: the server keeps read snapshots, and the import's closing checkpoint waits for readers
# to leave the snapshots older than it. A demo org is served by BINARY, wrk keeps it busy with
# person pages (4 connections), and the CLI (the same binary) imports the org ROUNDS times,
# changing 2% of the titles each time so that every import writes; each import's wall time is
# printed, then the median, and the server's resident memory after the last import (its chart
# rebuilt for the pages that follow it).
#   bash bench/import-while-serving.sh BINARY [ROUNDS] [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
binary=$(realpath "$1")
rounds=${2:-6}
people=${3:-100000}
folder=$(mktemp -d)
address=127.0.0.1:18086
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$folder"' EXIT
"$binary" --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr $address \
  >/dev/null 2>"$folder/serve.log" &
server=$!
wait_healthy $address
cookie=$(demo_cookie "$folder/serve.log" $address top)
[ -n "$cookie" ] || { echo "could not sign in"; exit 2; }
# The org as it is, in two versions that differ in every fiftieth title.
python3 - "$folder" <<'PY'
import csv, sqlite3, sys
folder = sys.argv[1]
rows = sqlite3.connect(f"{folder}/rungs.db").execute(
    "SELECT id, name, email, title, track, level, coalesce(manager_id, ''), team FROM people "
    "WHERE status = 'active' ORDER BY pk").fetchall()
for variant in ("a", "b"):
    with open(f"{folder}/org-{variant}.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "email", "title", "track", "level", "manager_id", "team"])
        for index, row in enumerate(rows):
            row = list(row)
            if variant == "b" and index % 50 == 0:
                row[3] += " (b)"
            writer.writerow(row)
PY
PEOPLE=$people PREFIX=/people/ wrk -t1 -c4 -d600s -H "Cookie: $cookie" -s bench/random-person.lua \
  "http://$address" >/dev/null &
load=$!
trap 'kill $load 2>/dev/null; [ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$folder"' EXIT
sleep 2
times=()
for round in $(seq 1 "$rounds"); do
  variant=$([ $((round % 2)) = 1 ] && echo b || echo a)
  started=$(date +%s%N)
  "$binary" --db "sqlite://$folder/rungs.db" org import "$folder/org-$variant.csv" >/dev/null
  took=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "import $round (org-$variant): $took ms"
  times+=("$took")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ all[NR] = $1 } END { print "median: " all[int((NR + 1) / 2)] " ms" }'
sleep 2
echo "server after the imports: $(grep VmRSS "/proc/$server/status")"

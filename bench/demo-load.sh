#!/usr/bin/env bash
# `rungs demo load --people N --assessed N` (everyone assessed in two cycles) against the
# issue's reference, measured in the same run: `sqlite3 .import` of CSVs holding the same rows
# (every rating, piece of evidence and agreed rating the load wrote) into a fresh file.
#   bash bench/demo-load.sh [PEOPLE...]
# For each size prints the load's time and peak memory (GNU time), the rows it wrote and their
# rate, the reference's time and the ratio; several sizes show whether the load is linear.
# Needs sqlite3 (apt-get install -y sqlite3) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
cargo build --release --quiet -p rungs-cli
rungs=./target/release/rungs

seconds() { python3 -c 'import time; print(f"{time.time():.3f}")'; }

for people in "${sizes[@]}"; do
  db="$folder/rungs-$people.db"
  /usr/bin/time -f '%e %M' -o "$folder/time" \
    "$rungs" --db "sqlite://$db" demo load --people "$people" --assessed "$people" >/dev/null
  read -r load_s peak_kib <"$folder/time"
  rows=0
  for table in ratings evidence agreements; do
    sqlite3 -csv "$db" "SELECT * FROM $table" >"$folder/$table.csv"
    rows=$((rows + $(sqlite3 "$db" "SELECT count(*) FROM $table")))
  done
  schema=$(sqlite3 "$db" ".schema ratings" ".schema evidence" ".schema agreements" | grep -v '^CREATE \(UNIQUE \)\?INDEX\|^CREATE TRIGGER')
  reference="$folder/reference-$people.db"
  start=$(seconds)
  sqlite3 "$reference" "PRAGMA journal_mode = WAL" "$schema" \
    ".import --csv $folder/ratings.csv ratings" \
    ".import --csv $folder/evidence.csv evidence" \
    ".import --csv $folder/agreements.csv agreements" >/dev/null
  end=$(seconds)
  reference_s=$(python3 -c "print(f'{$end - $start:.2f}')")
  echo "== $people people, all assessed: $rows rows (ratings, evidence, agreed ratings)"
  echo "   demo load ${load_s} s, peak memory $((peak_kib / 1024)) MB (target under 1024 MB), $(python3 -c "print(f'{$rows / $load_s:,.0f}')") rows/s"
  echo "   sqlite3 .import of the same rows ${reference_s} s; ratio $(python3 -c "print(f'{$load_s / $reference_s:.2f}')")x (target at most 3x)"
  rm -f "$db" "$db"-* "$reference" "$folder"/*.csv
done

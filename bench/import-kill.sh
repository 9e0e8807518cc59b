#!/usr/bin/env bash
# Kills a CLI import of a whole org with SIGKILL at points spread over its run, and checks after
# every kill that the database holds either the old org and no entry for the killed import, or
# the new org and its `org.import` entry: an import and its audit entry commit together.
#   bash bench/import-kill.sh BINARY [KILLS] [PEOPLE]
# BINARY is a built `rungs` (target/release/rungs); KILLS defaults to 24, PEOPLE to 200000.
# The kills spread from FROM% to TO% of an uninterrupted run (defaults 2 and 110); a narrow
# window around the commit (FROM=85 TO=105) looks closely at the moments after it.
# Exits 1 on the first kill that leaves anything else, with what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "$1")
kills=${2:-24}
[ "$kills" -ge 2 ] || { echo "KILLS must be 2 or more"; exit 2; }
people=${3:-200000}
from=${FROM:-2}
to=${TO:-110}
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT

# Two orgs of the same size that share no one: the old one (seed 1) and the new one (seed 2,
# its ids renamed), so that which of the two is there says which import was kept.
"$binary" demo generate --people "$people" --seed 1 --out "$folder/old.csv" >/dev/null 2>&1
"$binary" demo generate --people "$people" --seed 2 --out "$folder/seed2.csv" >/dev/null 2>&1
sed -e '2,$s/\bE0*\([0-9]\)/N\1/g' "$folder/seed2.csv" >"$folder/new.csv"
"$binary" --db "sqlite://$folder/base.db" org import "$folder/old.csv" >/dev/null

# How long an uninterrupted import of the new org takes, so that the kills spread over it.
cp "$folder/base.db" "$folder/timed.db"
start=$(date +%s%N)
"$binary" --db "sqlite://$folder/timed.db" org import "$folder/new.csv" >/dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "an uninterrupted import of $people people: $full_ms ms"

# Prints "old", "new" or what else it found, after checking the file's integrity.
verdict() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
if integrity != "ok":
    print(f"integrity_check: {integrity}"); sys.exit()
entries = db.execute("SELECT count(*) FROM audit_log WHERE action = 'org.import'").fetchone()[0]
imports = db.execute("SELECT count(*) FROM imports").fetchone()[0]
old = db.execute("SELECT count(*) FROM people WHERE status = 'active' AND id LIKE 'E%'").fetchone()[0]
new = db.execute("SELECT count(*) FROM people WHERE status = 'active' AND id LIKE 'N%'").fetchone()[0]
if (old, new, entries, imports) == (old + new, 0, 1, 1) and old > 0:
    print("old")
elif (old, entries, imports) == (0, 2, 2) and new > 0:
    print("new")
else:
    print(f"old active {old}, new active {new}, org.import entries {entries}, imports {imports}")
PY
}

old_kept=0
new_kept=0
for kill in $(seq 1 "$kills"); do
  cp "$folder/base.db" "$folder/run.db"
  rm -f "$folder/run.db-wal" "$folder/run.db-shm" "$folder/run.db-rungs-changes"
  # From FROM% to TO% of the uninterrupted run: by default the last kills land after the commit.
  delay_ms=$(( full_ms * (from + (kill - 1) * (to - from) / (kills - 1)) / 100 ))
  "$binary" --db "sqlite://$folder/run.db" org import "$folder/new.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  found=$(verdict "$folder/run.db")
  printf 'kill %2d at %5d ms: %s\n' "$kill" "$delay_ms" "$found"
  case "$found" in
    old) old_kept=$((old_kept + 1)) ;;
    new) new_kept=$((new_kept + 1)) ;;
    *) echo "FAILED: kill $kill left $found"; exit 1 ;;
  esac
done
echo "$kills kills: the old org intact with no entry $old_kept times, the new org with its entry $new_kept times"

#!/usr/bin/env bash
# The notice sweep on a whole org (docs/benchmarks.md): a demo org whose open cycle 2026-H2 runs
# on a schedule (everyone takes part), swept with `rungs mail sweep` twice: the first sweep
# queues every notice the cycle owes (the opening, the assessments asked of managers, late
# notices), the second finds nothing new, as the server's sweep does every minute once caught
# up. Each is timed with its peak resident memory, next to a reference read in the same run:
# `rungs cycle progress 2026-H2`, which reads the same step flags of every participant.
# ASSESSED=N assesses N people in two cycles (N = PEOPLE: everyone), 500 by default.
#   [ASSESSED=N] bash bench/mail-sweep.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-100000}
assessed=${ASSESSED:-500}
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
cargo build --release --quiet
rungs=./target/release/rungs
export RUNGS_DB="sqlite://$folder/rungs.db"
$rungs demo load --people "$people" --assessed "$assessed" >/dev/null
# Seconds and peak resident MB of a command.
timed() {
  /usr/bin/time -o "$folder/time.txt" -f "%e %M" "$@" >"$folder/out.txt"
  awk '{ printf "%s s, %.0f MB peak", $1, $2 / 1024 }' "$folder/time.txt"
}
for round in 1 2 3; do
  echo "round $round: reference: cycle progress $(timed $rungs cycle progress 2026-H2 --json)"
  echo "round $round: sweep $(timed $rungs mail sweep --json): $(cat "$folder/out.txt")"
done
$rungs mail queue --json | head -c 400; echo

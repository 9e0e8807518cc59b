#!/usr/bin/env bash
# The load test of docs/benchmarks.md: a release build serving a demo org on SQLite, and wrk
# with 64 connections on the same machine, against the person page and GET /api/v1/people/{id}
# over random ids. Prints wrk's figures and the server's resident memory.
#   bash bench/load-test.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-100000}
seconds=${2:-20}
folder=$(mktemp -d)
cargo build --release --quiet
./target/release/rungs --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr 127.0.0.1:18080 2>"$folder/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$folder"' EXIT
for attempt in $(seq 1 600); do
  curl -sf http://127.0.0.1:18080/healthz >/dev/null && break
  sleep 1
done
echo "== demo of $people people loaded; warming up"
PEOPLE=$people PREFIX=/people/ wrk -t2 -c64 -d5s -s bench/random-person.lua http://127.0.0.1:18080 >/dev/null
for prefix in /people/ /api/v1/people/; do
  echo "== GET ${prefix}{id}, 64 connections, ${seconds}s"
  PEOPLE=$people PREFIX=$prefix wrk -t2 -c64 -d"${seconds}s" --latency -s bench/random-person.lua http://127.0.0.1:18080
done
echo "== server resident memory"
grep -E "VmRSS|VmHWM" "/proc/$server/status"

#!/usr/bin/env bash
# The issue's two reference points on this machine, with the load test's settings (wrk, 2
# threads, 64 connections, client and server on the same cores): axum serving a static 2 KB
# page, and a page rendered from one indexed SQLite read over random ids of PEOPLE rows
# (crates/rungs-web/examples/reference_server.rs). Machines here differ in speed by more than
# two times; the load test's figures are read against these.
#   bash bench/reference.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
people=${1:-100000}
seconds=${2:-15}
folder=$(mktemp -d)
address=127.0.0.1:18081
cargo build --release --quiet -p rungs-web --example reference_server
./target/release/examples/reference_server $address "$folder/reference.db" "$people" 2>"$folder/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$folder"' EXIT
wait_healthy $address /static
wrk -t2 -c64 -d3s "http://$address/static" >/dev/null
for run in /static /people/; do
  echo "== reference: GET $run$([ "$run" = /people/ ] && echo "{id} over ids 1-$people"), 64 connections, ${seconds}s"
  if [ "$run" = /static ]; then
    wrk -t2 -c64 -d"${seconds}s" --latency "http://$address/static"
  else
    PEOPLE=$people PREFIX=/people/ wrk -t2 -c64 -d"${seconds}s" --latency -s bench/random-person.lua "http://$address"
  fi | grep -E "Requests/sec|requests in|Non-2xx|Socket errors|^ +(50|99)%"
done

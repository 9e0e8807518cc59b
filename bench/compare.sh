#!/usr/bin/env bash
# Interleaved runs of two server binaries on one demo database: this machine's speed varies by
# 10-25% from minute to minute, so a change is measured by alternating the binary before it
# and the one after it, and comparing medians. Each round runs each binary in turn as the top
# manager, with wrk (64 connections) over random ids. Prints every run, then the medians of
# requests/s and of the server's user and system time per request.
#   bash bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS] [SECONDS] [PREFIX] [PEOPLE]
# Build the old binary from an older commit first (`git worktree` keeps this checkout as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
old=$(realpath "$1")
new=$(realpath "$2")
rounds=${3:-5}
seconds=${4:-6}
prefix=${5:-/people/}
people=${6:-100000}
folder=$(mktemp -d)
address=127.0.0.1:18083
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$folder"' EXIT
# Serves the shared database with BINARY; the first start loads the demo and prints its
# password, so the log is appended to.
start() {
  "$1" --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr $address \
    >/dev/null 2>>"$folder/serve.log" &
  server=$!
  wait_healthy $address
}
stop() { kill $server; wait $server 2>/dev/null || true; server=; }
# One run: a short warm-up, then SECONDS of wrk; prints "rps user_us sys_us".
run() {
  start "$1"
  local cookie ticks_before ticks_after requests
  cookie=$(demo_cookie "$folder/serve.log" $address top)
  [ -n "$cookie" ] || { echo "could not sign in"; exit 2; }
  PEOPLE=$people PREFIX=$prefix wrk -t2 -c64 -d3s -H "Cookie: $cookie" -s bench/random-person.lua "http://$address" >/dev/null
  ticks_before=$(awk '{ print $14, $15 }' "/proc/$server/stat")
  PEOPLE=$people PREFIX=$prefix wrk -t2 -c64 -d"${seconds}s" -H "Cookie: $cookie" -s bench/random-person.lua "http://$address" >"$folder/wrk.txt"
  ticks_after=$(awk '{ print $14, $15 }' "/proc/$server/stat")
  stop
  requests=$(awk '/requests in/ { print $1 }' "$folder/wrk.txt")
  awk -v before="$ticks_before" -v after="$ticks_after" -v requests="$requests" -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {
      split(before, b, " "); split(after, a, " ")
      printf "%d %d %d\n", $2, (a[1] - b[1]) * 1e6 / hz / requests, (a[2] - b[2]) * 1e6 / hz / requests
    }' "$folder/wrk.txt"
}
start "$new"
stop
echo "== $people people, ${seconds}s per run, GET ${prefix}{id}; requests/s, user and system µs per request"
for round in $(seq 1 "$rounds"); do
  for binary in old new; do
    figures=$(run "${!binary}")
    echo "$binary $figures" | tee -a "$folder/runs.txt"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for binary in old new; do
  rps=$(awk -v b=$binary '$1 == b { print $2 }' "$folder/runs.txt" | median)
  user=$(awk -v b=$binary '$1 == b { print $3 }' "$folder/runs.txt" | median)
  system=$(awk -v b=$binary '$1 == b { print $4 }' "$folder/runs.txt" | median)
  echo "median $binary: $rps requests/s, user $user µs, system $system µs per request"
done

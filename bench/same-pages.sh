#!/usr/bin/env bash
# Checks that a change meant only to be faster leaves the person page and the person API the
# same byte for byte: two server binaries on one demo database, the same requests made of both
# as the top manager (the first 80 people, who carry the demo's assessments, ratings and
# evidence, and 15 others at random; each page with its default target and three others, and
# the person, readiness, history, team and assessment list answers of the API), compared with the
# CSRF token left out. Prints each answer that differs and exits 1 if any does.
#   bash bench/same-pages.sh OLD_BINARY NEW_BINARY [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/demo-sign-in.sh
old=$(realpath "$1")
new=$(realpath "$2")
people=${3:-20000}
folder=$(mktemp -d)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null; rm -rf "$folder"' EXIT
serve() {
  "$1" --db "sqlite://$folder/rungs.db" serve --demo --demo-people "$people" --addr "$2" \
    >/dev/null 2>"$folder/serve.log" &
  servers+=($!)
  wait_healthy "$2"
}
# Started one after the other: each start sets a new demo password, so both sign in with the
# password the second printed.
serve "$old" 127.0.0.1:18084
serve "$new" 127.0.0.1:18085
old_cookie=$(demo_cookie "$folder/serve.log" 127.0.0.1:18084 top)
new_cookie=$(demo_cookie "$folder/serve.log" 127.0.0.1:18085 top)
[ -n "$old_cookie" ] && [ -n "$new_cookie" ] || { echo "could not sign in"; exit 2; }
width=$(( ${#people} > 5 ? ${#people} : 5 ))
ids=$(for position in $(seq 1 80) $(shuf -i 81-"$people" -n 15); do printf "E%0${width}d\n" "$position"; done)
page() { curl -s -H "Cookie: $1" "http://$2$3" | sed 's/name="csrf" value="[0-9a-f]*"//g'; }
compared=0
differ=0
for id in $ids; do
  for path in "/people/$id" "/people/$id?target=sem" "/people/$id?target=vp" \
    "/people/$id?target=ic7" "/api/v1/people/$id" "/api/v1/people/$id/readiness" \
    "/api/v1/people/$id/history" "/api/v1/assessments?subject=$id" "/api/v1/people/$id/team"; do
    page "$old_cookie" 127.0.0.1:18084 "$path" >"$folder/old.html"
    page "$new_cookie" 127.0.0.1:18085 "$path" >"$folder/new.html"
    compared=$((compared + 1))
    if ! cmp -s "$folder/old.html" "$folder/new.html"; then
      differ=$((differ + 1))
      echo "== $path differs"
      diff "$folder/old.html" "$folder/new.html" | head -10 || true
    fi
  done
done
echo "$compared pages and API answers compared, $differ differ"
[ "$differ" -eq 0 ]

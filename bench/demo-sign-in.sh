# Sourced by the bench scripts. wait_healthy ADDRESS [PATH] waits (up to ten minutes: a large
# demo org takes a while to generate) until the server there answers PATH (/healthz unless
# given), or exits 2.
wait_healthy() {
  local attempt
  for attempt in $(seq 1 1200); do
    curl -sf "http://$1${2:-/healthz}" >/dev/null && return
    sleep 0.5
  done
  echo "the server at $1 did not start"
  exit 2
}

# demo_cookie LOG ADDRESS [hr|top|manager] signs in to a demo server whose
# standard error is in LOG, and prints the session cookie (`rungs_session=...`). `hr` (the
# default) is the demo's hr account, which sees everyone by its role; `top` the person at the top
# of the org, who sees everyone as their manager; `manager` the demo's example manager. The password is printed only by the start that
# loaded the demo: a script that starts a server again on the same file appends to LOG.
demo_cookie() {
  local log=$1 address=$2 who=${3:-hr} password account
  password=$(sed -n 's/.*accounts created now have the password \([a-z0-9]*\).*/\1/p' "$log" | tail -1)
  case "$who" in
    top) account=$(sed -n 's/^ *\([^ ]*@[^ ]*\) .*the top of the org.*/\1/p' "$log" | tail -1) ;;
    manager) account=$(sed -n 's/^ *\([^ ]*@[^ ]*\) .*a manager: sees their reporting line.*/\1/p' "$log" | tail -1) ;;
    *) account=hr@rungs.demo ;;
  esac
  curl -s -o /dev/null -D - -X POST --data-urlencode "email=$account" --data-urlencode "password=$password" \
    "http://$address/sign-in" | sed -n 's/^set-cookie: \(rungs_session=[0-9a-f]*\).*/\1/ip'
}

#!/bin/sh
# The broker container's command: runs Mosquitto and makes it re-read passwd and acl (SIGHUP) within a second of
# anyone rewriting them — the provisioning, a CLI command (docker compose run … provision …) or the API — since none of
# them shares this container's PID namespace to signal it. The writers replace the files by rename, so a new inode
# marks every change. The API (BrokerAccess:ReloadCommand "true") then waits until its probe user can log in, the proof
# that the broker read the new files (docs/access.md, "The broker").
config="${1:-/mosquitto/config/mosquitto.conf}"
access="${FIELDLAB_BROKER_ACCESS_DIR:-/var/lib/fieldlab/mosquitto/access}"

mosquitto -c "$config" &
broker=$!
# docker stop: a clean stop, so that the broker saves its persistence (sessions, retained births).
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT

files() { stat -c '%i %Y' "$access/passwd" "$access/acl" 2>/dev/null; }
seen="$(files)"
while kill -0 "$broker" 2>/dev/null; do
  sleep 1
  now="$(files)"
  if [ "$now" != "$seen" ]; then
    kill -HUP "$broker" 2>/dev/null
    seen="$now"
  fi
done
wait "$broker"

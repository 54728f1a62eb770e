#!/bin/sh
# The one-shot "provision" service of compose.yaml: what ./fieldlab up runs before the broker and the services start
# (docs/access.md, "Secrets", "The broker", "The database"), against the compose network's PostgreSQL and InfluxDB.
# Idempotent: it runs on every `docker compose up`, generates only what is missing and sets the InfluxDB passwords
# (and the grafana user's) to the ones in the secrets volume and .env — that is how they are rotated.
set -eu

# The defaults are the container's; the deploy tests run this script against real servers with other values.
state="${FIELDLAB_STATE:-/var/lib/fieldlab}"
influx="${FIELDLAB_INFLUX_URL:-http://influxdb:8086}"
secrets="$state/secrets"
cli() { ${FIELDLAB_CLI:-dotnet /app/Fieldlab.Cli.dll} "$@"; }

# Secrets, the metadata store (migrated; the demo tenancy when FIELDLAB_DEMO=true and it is empty), the services, and
# the broker's passwd/acl in the "broker" volume (read by mosquitto, which starts after this service).
cli access provision --state "$state" --mqtt-port "${FIELDLAB_MQTT_PORT:-1883}" --demo "${FIELDLAB_DEMO:-false}"

# InfluxDB's admin (on the first start), the database and its retention policies, ingest (WRITE) and api (READ).
cli access influx --state "$state" --url "$influx" --waveform-retention "${FIELDLAB_WAVEFORM_RETENTION:-1h}"

# Grafana's own read-only user (the datasource in dashboards/provisioning/datasources/fieldlab.yaml), its password
# from .env: an InfluxQL string literal escapes backslash and single quote.
: "${FIELDLAB_GRAFANA_INFLUX_PASSWORD:?set FIELDLAB_GRAFANA_INFLUX_PASSWORD in .env}"
password=$(printf '%s' "$FIELDLAB_GRAFANA_INFLUX_PASSWORD" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
influxql() {
  # InfluxDB 1.x answers a failed statement with 200 and an "error" field; the statement itself is not printed (it
  # may hold the password).
  answer=$(curl -fsS -u "admin:$(cat "$secrets/influx-admin.password")" -X POST "$influx/query" --data-urlencode "q=$1")
  case "$answer" in *'"error"'*) echo "provision: InfluxDB refused a statement for the grafana user: $answer" >&2; exit 1 ;; esac
  printf '%s\n' "$answer"
}
if influxql 'SHOW USERS' | grep -q '\["grafana",'; then
  influxql "SET PASSWORD FOR \"grafana\" = '$password'" >/dev/null
else
  influxql "CREATE USER \"grafana\" WITH PASSWORD '$password'" >/dev/null
fi
influxql 'REVOKE ALL ON "fieldlab" FROM "grafana"' >/dev/null
influxql 'GRANT READ ON "fieldlab" TO "grafana"' >/dev/null
echo "provision grafana_user=grafana"

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

# Grafana's own read-only user (the datasource in dashboards/provisioning/datasources/fieldlab.yaml) takes its
# password from .env: it goes into the secrets volume, where `access influx` reads it like the other users' passwords.
: "${FIELDLAB_GRAFANA_INFLUX_PASSWORD:?set FIELDLAB_GRAFANA_INFLUX_PASSWORD in .env}"
mkdir -p "$secrets"
(umask 077; printf '%s' "$FIELDLAB_GRAFANA_INFLUX_PASSWORD" > "$secrets/influx-grafana.password")

# InfluxDB's admin (on the first start), the database and its retention policies, ingest (WRITE), api and grafana (READ).
cli access influx --state "$state" --url "$influx" --waveform-retention "${FIELDLAB_WAVEFORM_RETENTION:-1h}"
# The credential Prometheus sends to every /metrics (deploy/prometheus/prometheus.yml): in a volume of its own,
# readable by Prometheus's user (nobody) — it grants reading metrics, nothing else.
scrape="${FIELDLAB_SCRAPE_DIR:-/var/lib/fieldlab/scrape}"
mkdir -p "$scrape"
if [ ! -s "$scrape/scrape.token" ]; then
  (umask 022; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$scrape/scrape.token")
fi
echo "provision grafana_user=grafana scrape_token=$scrape/scrape.token"

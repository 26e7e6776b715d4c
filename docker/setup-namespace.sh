#!/bin/sh
# Creates the namespace (if missing) and registers the search attributes the surgeEvent workflow upserts
# (workflows/search-attributes.ts). Idempotent: attributes already present are left alone, so it runs on
# every `docker compose up`. Needs only the `temporal` CLI (temporalio/admin-tools has it).
set -eu

ADDRESS=${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is not set (host:port of the Temporal frontend)}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-168h}
ATTEMPTS=${SETUP_ATTEMPTS:-60}
SLEEP_SECONDS=${SETUP_SLEEP_SECONDS:-2}

# Runs "$@" until it succeeds, at most ATTEMPTS times; $1 names the wait in the messages.
retry() {
  what=$1
  shift
  n=1
  until "$@" >/dev/null 2>&1; do
    if [ "$n" -ge "$ATTEMPTS" ]; then
      echo "setup: gave up waiting for ${what} after ${ATTEMPTS} attempts (last error below)" >&2
      "$@" >&2 || true
      exit 1
    fi
    n=$((n + 1))
    sleep "$SLEEP_SECONDS"
  done
}

retry "Temporal at ${ADDRESS} to be healthy" temporal operator cluster health --address "$ADDRESS"

if temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "setup: namespace ${NAMESPACE} exists"
else
  temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "setup: namespace ${NAMESPACE} created (retention ${RETENTION})"
fi

# A new namespace reaches every frontend's cache a moment after it is created.
retry "namespace ${NAMESPACE} to be served" temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE"

for attribute in SurgeEventId:Keyword SurgeTier:Int SurgePhase:Keyword; do
  name=${attribute%%:*}
  type=${attribute#*:}
  if temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" | grep -qw "$name"; then
    echo "setup: search attribute ${name} exists"
  else
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
    echo "setup: search attribute ${name} (${type}) registered"
  fi
done

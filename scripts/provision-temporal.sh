#!/bin/sh
# Thin wrapper for shells and CI: provisions the Temporal binaries into .tools/ and prints their paths.
# Usage: scripts/provision-temporal.sh [--cli|--test-server|--all]   (see scripts/provision-temporal.ts)
#   e.g. export $(scripts/provision-temporal.sh)   # sets TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH
set -e
root="$(cd "$(dirname "$0")/.." && pwd)"
exec "$root/node_modules/.bin/tsx" "$root/scripts/provision-temporal.ts" "$@"

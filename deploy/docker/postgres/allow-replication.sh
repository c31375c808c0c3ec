#!/bin/bash
# Runs once, on an empty data directory, in every PostgreSQL primary (docker-entrypoint-initdb.d):
# lets its streaming replica (postgres-N-replica, start-replica.sh) connect for replication with
# the same password as the services. The image's own rule ("host all all all") does not cover
# replication connections.
set -euo pipefail
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"

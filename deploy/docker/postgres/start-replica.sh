#!/bin/bash
# Entry point of a streaming replica (postgres-N-replica in docker-compose.yml): on an empty data
# directory, copy the primary with pg_basebackup -R (standby.signal + primary_conninfo) through
# a physical replication slot, so the primary keeps the WAL this replica still needs; then run
# PostgreSQL as a hot standby (read-only queries while it replays). Later starts resume streaming.
#   PRIMARY_HOST  the primary's compose service name
#   SLOT          the replication slot's name on the primary
set -euo pipefail
: "${PRIMARY_HOST:?}" "${SLOT:?}" "${POSTGRES_PASSWORD:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    export PGPASSWORD="$POSTGRES_PASSWORD"
    until pg_isready -h "$PRIMARY_HOST" -U postgres; do sleep 1; done
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    gosu postgres pg_basebackup -h "$PRIMARY_HOST" -U postgres -D "$PGDATA" \
        --write-recovery-conf --wal-method=stream --create-slot --slot="$SLOT" --checkpoint=fast --progress
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on

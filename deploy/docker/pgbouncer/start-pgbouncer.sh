#!/bin/bash
# Writes pgbouncer.ini and the user list from the environment, then runs PgBouncer.
#   DB_HOST            the PostgreSQL primary behind this bouncer
#   CHIRP_DB_USER, CHIRP_DB_PASSWORD   the services' login (chirp.env)
#   POOL_SIZE          server connections per database and user (default 20)
#   MAX_CLIENT_CONN    client connections accepted (default 400)
set -euo pipefail
: "${DB_HOST:?}" "${CHIRP_DB_USER:?}" "${CHIRP_DB_PASSWORD:?}"
dir=/tmp/pgbouncer
mkdir -p "$dir"
printf '"%s" "%s"\n' "$CHIRP_DB_USER" "$CHIRP_DB_PASSWORD" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=${DB_HOST} port=5432

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
auth_type = scram-sha-256
auth_file = ${dir}/userlist.txt
pool_mode = transaction
default_pool_size = ${POOL_SIZE:-20}
max_client_conn = ${MAX_CLIENT_CONN:-400}
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
unix_socket_dir =
INI
exec pgbouncer "$dir/pgbouncer.ini"

#!/usr/bin/env bash
# Container HEALTHCHECK: GET /health on the service's own port, healthy on HTTP 200 only.
# Plain bash (/dev/tcp), so the image needs neither curl nor wget.
set -euo pipefail
port="${CHIRP_PORT:?CHIRP_PORT is not set}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r -t 5 _ status _ <&3
[ "${status}" = "200" ]

#!/usr/bin/env bash
# Creates every Kafka topic Chirp uses (the names of platform/events Topics.all(), dead-letter
# topics included), idempotently. Run by the kafka-init service of deploy/docker-compose.yml.
# Environment: BOOTSTRAP (host:port), TOPICS (whitespace-separated), PARTITIONS, REPLICATION.
set -euo pipefail
bootstrap="${BOOTSTRAP:?BOOTSTRAP is not set}"
partitions="${PARTITIONS:-3}"
replication="${REPLICATION:-1}"
read -r -a topics <<< "${TOPICS:?TOPICS is not set}"
for topic in "${topics[@]}"; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "${bootstrap}" --create --if-not-exists \
    --topic "${topic}" --partitions "${partitions}" --replication-factor "${replication}"
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "${bootstrap}" --list

#!/bin/sh
# Generates the secrets of the compose stacks ONCE, into .env beside docker-compose.yml
# (git-ignored, mode 600). Rerunning adds only secrets that are missing and never changes one
# that exists: PostgreSQL takes its password only when its volume is first created, and a new
# VT_REGISTER_SLEUTEL silently breaks every BSN hash match. Rotation: docs/deployment.md.
#
#   deploy/secrets.sh [path/to/.env]
set -eu

ENV_FILE=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.env"}

# 32 random bytes as 64 hex characters: URL-safe, so passwords fit in DATABASE_URL as they are.
willekeurig() {
    od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

umask 077
[ -e "$ENV_FILE" ] || : >"$ENV_FILE"
chmod 600 "$ENV_FILE"
# A last line without a newline would run into the first line we add.
if [ -s "$ENV_FILE" ] && [ -n "$(tail -c 1 "$ENV_FILE")" ]; then
    echo >>"$ENV_FILE"
fi

GEHEIMEN="TEMPORAL_DB_PASSWORD VT_DB_PASSWORD VT_REGISTER_SLEUTEL VT_CODEC_TOKEN VT_MASTER_KEY"

# An empty `NAME=` is a mistake to look at, not a slot to fill: stop before writing anything.
for naam in $GEHEIMEN; do
    if grep -q "^$naam=$" "$ENV_FILE"; then
        echo "$naam staat leeg in $ENV_FILE: vul hem zelf of haal de regel weg" >&2
        exit 1
    fi
done

for naam in $GEHEIMEN; do
    if grep -q "^$naam=" "$ENV_FILE"; then
        echo "$naam: bestaat al, ongewijzigd"
    else
        printf '%s=%s\n' "$naam" "$(willekeurig)" >>"$ENV_FILE"
        echo "$naam: aangemaakt"
    fi
done
echo "Bewaar een kopie van $ENV_FILE in de kluis (secrets manager) van de organisatie."

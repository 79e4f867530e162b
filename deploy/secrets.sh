#!/bin/sh
# Generates the secrets of the compose stacks ONCE, into .env beside docker-compose.yml
# (git-ignored, mode 600), and the certificates for mTLS with Temporal into deploy/tls/ beside
# that .env (git-ignored, files 600, folder 700). Rerunning adds only what is missing and never
# changes what exists: PostgreSQL takes its password only when its volume is first created, a
# new VT_REGISTER_SLEUTEL silently breaks every BSN hash match, and a new CA locks every client
# out. Rotation: docs/deployment.md ("mTLS and the authorizer", "Secrets and rotation").
#
#   deploy/secrets.sh [path/to/.env]
#
# Certificates (openssl; no personal data in any subject):
#   ca.pem, ca-key.pem          the private CA of this installation (move ca-key.pem to the
#                               vault once the certificates below exist; it is only needed to
#                               sign new ones)
#   server.pem, server-key.pem  the Temporal server (frontend and internode), SAN
#                               DNS:temporal (the name every client verifies:
#                               TEMPORAL_TLS_SERVER_NAME), DNS:localhost, IP:127.0.0.1
#   client.pem, client-key.pem  the client certificate of workers, codec server, admin tools
#                               and the Web UI server
set -eu

ENV_FILE=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.env"}
TLS_DIR="$(cd "$(dirname "$ENV_FILE")" && pwd)/deploy/tls"
SERVER_NAAM=temporal
CA_DAGEN=3650
BLAD_DAGEN=825

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

GEHEIMEN="TEMPORAL_DB_PASSWORD VT_DB_PASSWORD VT_REGISTER_SLEUTEL VT_CODEC_TOKEN VT_MASTER_KEY VT_GRAFANA_PASSWORD"

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

# -- certificates for mTLS with Temporal --------------------------------------------------------
command -v openssl >/dev/null 2>&1 || {
    echo "openssl ontbreekt: nodig voor de certificaten van Temporal (mTLS)" >&2
    exit 1
}
mkdir -p "$TLS_DIR"
chmod 700 "$TLS_DIR"
[ -e "$TLS_DIR/.gitignore" ] || printf '*\n' >"$TLS_DIR/.gitignore"
WERK=$(mktemp -d)
trap 'rm -rf "$WERK"' EXIT

# A pair is made whole or not at all; half a pair is a mistake to look at, never overwritten.
paar_bestaat() {
    if [ -e "$TLS_DIR/$1.pem" ] && [ -e "$TLS_DIR/$1-key.pem" ]; then
        echo "tls/$1.pem: bestaat al, ongewijzigd"
        return 0
    fi
    if [ -e "$TLS_DIR/$1.pem" ] || [ -e "$TLS_DIR/$1-key.pem" ]; then
        echo "tls/$1: alleen certificaat of alleen sleutel in $TLS_DIR; haal beide weg of zet beide terug" >&2
        exit 1
    fi
    return 1
}

serienummer() {
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^/0x/'
}

# $1 name, $2 subject, $3 extensions: a P-256 key and a certificate signed by the CA.
onderteken() {
    [ -e "$TLS_DIR/ca-key.pem" ] || {
        echo "tls/$1: ca-key.pem ontbreekt in $TLS_DIR (zet hem terug uit de kluis om te ondertekenen)" >&2
        exit 1
    }
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$WERK/$1-key.pem" -out "$WERK/$1.csr" -subj "$2" 2>/dev/null
    printf '%s\n' "$3" >"$WERK/$1.ext"
    openssl x509 -req -in "$WERK/$1.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca-key.pem" \
        -set_serial "$(serienummer)" -days "$BLAD_DAGEN" -sha256 -extfile "$WERK/$1.ext" \
        -out "$WERK/$1.pem" 2>/dev/null
    mv "$WERK/$1-key.pem" "$TLS_DIR/$1-key.pem"
    mv "$WERK/$1.pem" "$TLS_DIR/$1.pem"
    chmod 600 "$TLS_DIR/$1-key.pem" "$TLS_DIR/$1.pem"
    echo "tls/$1.pem: aangemaakt ($2, $BLAD_DAGEN dagen)"
}

# The CA: its key may be in the vault (only needed to sign), its certificate must stay.
if [ -e "$TLS_DIR/ca.pem" ]; then
    echo "tls/ca.pem: bestaat al, ongewijzigd"
elif [ -e "$TLS_DIR/ca-key.pem" ]; then
    echo "tls/ca: ca-key.pem zonder ca.pem in $TLS_DIR; zet ca.pem terug uit de kluis" >&2
    exit 1
else
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
        -keyout "$WERK/ca-key.pem" -out "$WERK/ca.pem" -days "$CA_DAGEN" \
        -subj "/O=Veilig Thuis/CN=veilig-thuis temporal CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    mv "$WERK/ca-key.pem" "$TLS_DIR/ca-key.pem"
    mv "$WERK/ca.pem" "$TLS_DIR/ca.pem"
    chmod 600 "$TLS_DIR/ca-key.pem" "$TLS_DIR/ca.pem"
    echo "tls/ca.pem: aangemaakt (CA, $CA_DAGEN dagen)"
fi
GEMEEN="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature"
if ! paar_bestaat server; then
    # serverAuth for the frontend; clientAuth too: the server's own roles present this
    # certificate to each other (internode mTLS).
    onderteken server "/O=Veilig Thuis/CN=$SERVER_NAAM" "$GEMEEN
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$SERVER_NAAM,DNS:localhost,IP:127.0.0.1"
fi
if ! paar_bestaat client; then
    onderteken client "/O=Veilig Thuis/CN=veilig-thuis-client" "$GEMEEN
extendedKeyUsage=clientAuth"
fi
echo "Bewaar een kopie van $ENV_FILE en $TLS_DIR in de kluis (secrets manager) van de organisatie."

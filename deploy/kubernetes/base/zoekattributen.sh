#!/bin/sh
# Registers the search attributes of docs/contract.md with the `temporal` CLI of the
# temporalio/admin-tools image; docker-compose.yml and the Kubernetes Job both run this file.
#
#   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE   where (the CLI also reads TEMPORAL_TLS*, TEMPORAL_API_KEY)
#   TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH,
#   TEMPORAL_TLS_SERVER_NAME               mTLS with a self-hosted Temporal, passed as the CLI's
#                                          --tls-* flags (docs/deployment.md)
#   VT_NAMESPACE_AANMAKEN=true             create the namespace when it is missing (self-hosted)
#   VT_RETENTIE=720h                       retention of closed workflows: set on a new namespace,
#                                          and when given, kept on an existing one (docs/retention.md)
#   VT_POGINGEN=30                         attempts for each step while the server comes up
#
# Rerunnable: the CLI accepts an attribute that already exists with the same type. One that
# exists with ANOTHER type is fatal (exit 3): workflows could not set it, and no retry fixes it.
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS ontbreekt}"
: "${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE ontbreekt}"
POGINGEN=${VT_POGINGEN:-30}
WAAR="--address $TEMPORAL_ADDRESS --namespace $TEMPORAL_NAMESPACE"
# mTLS: all three files or none (half a configuration would fail later and less clearly).
if [ -n "${TEMPORAL_TLS_CLIENT_CERT_PATH:-}${TEMPORAL_TLS_CLIENT_KEY_PATH:-}${TEMPORAL_TLS_SERVER_CA_CERT_PATH:-}" ]; then
    for naam in TEMPORAL_TLS_CLIENT_CERT_PATH TEMPORAL_TLS_CLIENT_KEY_PATH TEMPORAL_TLS_SERVER_CA_CERT_PATH; do
        eval "waarde=\${$naam:-}"
        [ -n "$waarde" ] || { echo "zoekattributen: $naam ontbreekt (mTLS)" >&2; exit 1; }
    done
    WAAR="$WAAR --tls --tls-cert-path $TEMPORAL_TLS_CLIENT_CERT_PATH"
    WAAR="$WAAR --tls-key-path $TEMPORAL_TLS_CLIENT_KEY_PATH --tls-ca-path $TEMPORAL_TLS_SERVER_CA_CERT_PATH"
    if [ -n "${TEMPORAL_TLS_SERVER_NAME:-}" ]; then
        WAAR="$WAAR --tls-server-name $TEMPORAL_TLS_SERVER_NAME"
    fi
fi

opgeven() {
    echo "zoekattributen: $*" >&2
    exit 1
}

poging=1
until temporal operator cluster health $WAAR >/dev/null 2>&1; do
    [ "$poging" -lt "$POGINGEN" ] || opgeven "Temporal op $TEMPORAL_ADDRESS antwoordt niet"
    poging=$((poging + 1))
    sleep 2
done

poging=1
until temporal operator namespace describe $WAAR >/dev/null 2>&1; do
    if [ "${VT_NAMESPACE_AANMAKEN:-true}" = true ] &&
        temporal operator namespace create $WAAR --retention "${VT_RETENTIE:-720h}"; then
        break
    fi
    [ "$poging" -lt "$POGINGEN" ] || opgeven "namespace $TEMPORAL_NAMESPACE bestaat niet"
    poging=$((poging + 1))
    sleep 2
done

# The retention is the configured one also on a namespace that existed (docs/retention.md:
# closed histories are kept only as long as operations need them). Only where we manage the
# namespace (self-hosted); on Temporal Cloud it is set with tcld or the Cloud UI.
if [ -n "${VT_RETENTIE:-}" ] && [ "${VT_NAMESPACE_AANMAKEN:-true}" = true ]; then
    temporal operator namespace update $WAAR --retention "$VT_RETENTIE" >/dev/null ||
        opgeven "retentie $VT_RETENTIE niet gezet op namespace $TEMPORAL_NAMESPACE"
    echo "zoekattributen: retentie van namespace $TEMPORAL_NAMESPACE is $VT_RETENTIE"
fi

registreer() {
    naam=$1
    soort=$2
    poging=1
    # A new namespace takes a moment to reach every role's cache: transient errors are retried.
    until uit=$(temporal operator search-attribute create $WAAR --name "$naam" --type "$soort" 2>&1); do
        case $uit in
        *"different type"*)
            echo "zoekattributen: $naam bestaat al met een ander type dan $soort: $uit" >&2
            echo "zoekattributen: herstel met de hand (docs/deployment.md, zoekattributen)" >&2
            exit 3
            ;;
        esac
        [ "$poging" -lt "$POGINGEN" ] || opgeven "$naam: $uit"
        poging=$((poging + 1))
        sleep 3
    done
    echo "zoekattributen: $naam ($soort) aanwezig"
}

registreer VtRegio Keyword
registreer VtFase Keyword
registreer VtVervolg Keyword
registreer VtUrgentie Keyword
registreer VtVolgendeDeadline Datetime
registreer VtTermijnOverschreden Bool
registreer VtGekoppeld Int
registreer VtBezorging Keyword
registreer VtOverdracht Keyword
echo "zoekattributen: klaar in namespace $TEMPORAL_NAMESPACE"

"""docs/deployment.md: docker-compose.yml (single host, self-hosted Temporal) and
docker-compose.cloud.yml (Temporal Cloud) agree with the compose spec, the images, the
Dockerfile and the code.

No container engine runs here, so the files are read as YAML, interpolated the way compose
does, validated against the compose-spec JSON schema and checked for consistency.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import re
import shlex
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from contract import names
from tests.unit.test_deploy_omgeving import (
    SDK_ALTERNATIVES,
    SELF_HOSTED_UNSET,
    gelezen_door_worker,
)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.cloud.yml")
RAW: dict[str, dict[str, Any]] = {
    name: yaml.safe_load((ROOT / name).read_text()) for name in COMPOSE_FILES
}
COMPOSE = RAW["docker-compose.yml"]
CLOUD = RAW["docker-compose.cloud.yml"]
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
DOCKERFILE = ROOT / "Dockerfile"
SECRETS_SCRIPT = ROOT / "deploy" / "secrets.sh"

TEMPORAL, UI, APP_DB, WORKER, CODEC = "temporal", "temporal-ui", "app-db", "worker", "codec-server"
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
GRACE_MARGIN_SECONDS = 10

# The images we pull, the tag we pin, and the programs the health checks and commands may use,
# with where each fact was verified (Temporal's own files, read at the commits named).
IMAGES: dict[str, dict[str, Any]] = {
    "temporalio/server": {
        "tag": "1.31.2",
        "programs": {"sh", "nc"},
        "source": "temporalio/helm-charts charts/temporal/values.yaml (e51b734, 2026-08-20) pins "
        "server 1.31.2; temporalio/temporal v1.31.2 docker/targets/server.Dockerfile: alpine "
        "(busybox sh, nc) + temporal-server, no temporal CLI; samples-server compose checks it "
        "with `nc -z localhost 7233`",
    },
    "temporalio/admin-tools": {
        "tag": "1.31.2",
        "programs": {"sh", "nc", "temporal", "temporal-sql-tool"},
        "source": "helm-charts values.yaml pins admin-tools 1.31.2; temporalio/temporal v1.31.2 "
        "docker/targets/admin-tools.Dockerfile: alpine + temporal, temporal-sql-tool, schema",
    },
    "temporalio/ui": {
        "tag": "2.52.0",
        "programs": {"sh", "bash", "wget"},
        "source": "helm-charts values.yaml pins ui 2.52.0 (readiness on /healthz); temporalio/ui "
        "v2.52.0 server/Dockerfile: alpine:3.23.3 + bash, curl removed in 2.50 (672bb04); "
        "alpine's busybox has wget (aports main/busybox/busyboxconfig CONFIG_WGET=y)",
    },
    "prom/prometheus": {
        "tag": "v3.14.0",
        "programs": {"sh", "wget"},
        "source": "prometheus/prometheus (d15adb9, 2026-08-21): VERSION 3.14.0, tag v3.14.0; "
        "its Dockerfile builds on quay.io/prometheus/busybox (sh, wget), entrypoint "
        "/bin/prometheus with --config.file=/etc/prometheus/prometheus.yml by default",
    },
    "grafana/grafana": {
        "tag": "12.1.1",
        "programs": {"sh", "wget"},
        "source": "grafana/grafana package.json on main read 12.2.0-pre (stored snapshot), so "
        "12.1.x is released; the default image is Alpine (Grafana's 'Run Grafana Docker image' "
        "page), whose busybox has wget. Not pulled here: check the tag before deploying",
    },
    "postgres": {
        "tag": "16.15-bookworm",
        "programs": {"sh", "pg_isready"},
        "source": "docker-library/official-images library/postgres (37079fb, 2026-08-21): "
        "16.15-bookworm; pg_isready ships with the server",
    },
}
BUILT_PROGRAMS = {"python"}  # our own image, from Dockerfile

# Values for the variables compose would take from .env; every `${VAR:?}` needs one here.
SHELL_ENV = {
    "TEMPORAL_DB_PASSWORD": "temporal-geheim",
    "VT_DB_PASSWORD": "db-geheim",
    "VT_REGISTER_SLEUTEL": "hmac-sleutel-van-voldoende-lengte",
    "VT_CODEC_TOKEN": "codec-token",
    "VT_MASTER_KEY": "master-key",
    "VT_GRAFANA_PASSWORD": "grafana-geheim",
    "TEMPORAL_ADDRESS": "vt.a1b2c.tmprl.cloud:7233",
    "TEMPORAL_NAMESPACE": "vt.a1b2c",
    "TEMPORAL_API_KEY": "cloud-sleutel",
}
REFERENCE = re.compile(r"\$\{(\w+)(?:(:-|:\?|-|\?)([^}]*))?\}")


def interpolate(value: str, env: dict[str, str] | None = None) -> str:
    """Resolve `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$` the way compose does."""
    env = SHELL_ENV if env is None else env

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op in (":?", "?"):
            raise KeyError(f"{name} is required: {arg}")
        return arg or ""

    return REFERENCE.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def interpolated(node: Any) -> Any:
    """A whole compose document with every string interpolated."""
    if isinstance(node, dict):
        return {key: interpolated(value) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolated(value) for value in node]
    return interpolate(node) if isinstance(node, str) else node


def strings(node: Any) -> list[str]:
    """Every string in a document, for the reference checks."""
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return [node] if isinstance(node, str) else []


def environment(service: str, services: dict[str, Any] | None = None) -> dict[str, str]:
    """A service's environment, list or mapping form, interpolated."""
    env = (services or SERVICES)[service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: interpolate(str(value)) for key, value in env.items()}


def depends_on(service: str, services: dict[str, Any] | None = None) -> dict[str, str]:
    """A service's dependencies, short or long form, as target -> condition."""
    deps = (services or SERVICES)[service].get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {target: spec.get("condition", "service_started") for target, spec in deps.items()}


def mounted_files(service: str) -> dict[str, Path]:
    """Container path -> repository file, for the bind mounts of single files."""
    found = {}
    for volume in SERVICES[service].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if source.startswith("./") and (ROOT / source).is_file():
            found[target] = ROOT / source
    return found


def command(service: str) -> str:
    """A service's entrypoint and command, plus the scripts it mounts, as one string."""
    parts: list[str] = []
    for key in ("entrypoint", "command"):
        value = SERVICES[service].get(key) or []
        parts.extend([value] if isinstance(value, str) else value)
    parts.extend(path.read_text() for path in mounted_files(service).values())
    return interpolate("\n".join(parts))


def service_running(text: str) -> str:
    """The one service whose command or mounted script contains `text`."""
    (found,) = [name for name in SERVICES if text in command(name)]
    return found


ONE_SHOTS = sorted(
    {t for s in SERVICES for t, c in depends_on(s).items() if c == "service_completed_successfully"}
    & set(SERVICES)
)
LONG_RUNNING = sorted(set(SERVICES) - set(ONE_SHOTS))
SCHEMA_SERVICE = service_running("temporal-sql-tool")
SEARCH_ATTRIBUTE_SERVICE = service_running("search-attribute create")
IMAGED = sorted(name for name in SERVICES if "image" in SERVICES[name])
DATABASES = sorted(name for name in IMAGED if SERVICES[name]["image"].startswith("postgres:"))
ALL_SERVICES = [(f, s) for f in COMPOSE_FILES for s in RAW[f]["services"]]


def image_tag(service: str, services: dict[str, Any] | None = None) -> tuple[str, str]:
    """(repository, tag) of a service's image."""
    repository, _, tag = (services or SERVICES)[service]["image"].partition(":")
    return repository, tag


INTERNAL_FRONTEND_PORT = 7236  # the server's internal frontend (USE_INTERNAL_FRONTEND)


def container_port(service: str) -> int:
    """The container side of a service's first published port."""
    return int(str(SERVICES[service]["ports"][0]).split(":")[-1].split("/")[0])


def seconds(duration: str) -> float:
    """A compose duration (`45s`, `1m30s`) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, duration
    return sum(float(n) * units[u] for n, u in parts)


def worker_module() -> ModuleType:
    """The worker's bootstrap, imported only by the tests that need it."""
    return importlib.import_module("worker")


def dockerfile_lines(instruction: str) -> list[str]:
    """The arguments of every Dockerfile line starting with `instruction`."""
    lines = DOCKERFILE.read_text().splitlines()
    return [line.split(None, 1)[1] for line in lines if line.upper().startswith(instruction + " ")]


def generated_secrets() -> set[str]:
    """The secrets deploy/secrets.sh writes into .env."""
    (line,) = [ln for ln in SECRETS_SCRIPT.read_text().splitlines() if ln.startswith("GEHEIMEN=")]
    return set(line.removeprefix("GEHEIMEN=").strip('"').split())


# -- the compose spec ---------------------------------------------------------------------------
@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_compose_file_is_valid_against_the_compose_spec_after_interpolation(
    compose_file: str,
) -> None:
    """The file `docker compose` would load, validated against the compose-spec JSON schema
    (as shipped by check-jsonschema, vendored from compose-spec/compose-spec)."""
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((schema_file / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(interpolated(RAW[compose_file]))
    ]
    assert not errors


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_every_secret_is_required_without_a_default(compose_file: str) -> None:
    """A generated secret is only ever referenced as `${NAME:?message}`: no default password."""
    for text in strings(RAW[compose_file]):
        for name, op, _ in REFERENCE.findall(text):
            if name in generated_secrets() or name == "TEMPORAL_API_KEY":
                assert op == ":?", f"{name} in {text!r}"


@pytest.mark.parametrize(("compose_file", "service"), ALL_SERVICES)
def test_no_password_or_key_is_written_in_the_file(compose_file: str, service: str) -> None:
    """A variable named like a secret is a required reference or an optional empty one."""
    env = RAW[compose_file]["services"][service].get("environment") or {}
    for key, raw in env.items():
        if re.search(r"PASSWORD|PWD|SECRET|TOKEN|SLEUTEL|_KEY$", key):
            if re.fullmatch(r"/etc/\w+/tls/[\w-]+\.pem", str(raw)):
                continue  # the path of a mounted certificate or key, not its content
            assert re.fullmatch(r"\$\{\w+(:\?.+|:-)\}", str(raw)), f"{service}.{key}"


def test_every_required_variable_of_the_single_host_stack_is_generated() -> None:
    """`deploy/secrets.sh` then `docker compose up` needs nothing else in .env."""
    required = {
        name for text in strings(COMPOSE) for name, op, _ in REFERENCE.findall(text) if op == ":?"
    }
    assert required == generated_secrets()


def test_local_secrets_stay_out_of_git_and_the_image() -> None:
    """.env is ignored by git and by the Docker build context."""
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


# -- images ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("compose_file", "service"), ALL_SERVICES)
def test_every_service_has_a_known_pinned_image_or_is_built(
    compose_file: str, service: str
) -> None:
    """Images are the four we verified, at the tag in IMAGES; the rest is built from here."""
    services = RAW[compose_file]["services"]
    if "image" not in services[service]:
        assert services[service]["build"]["context"] == "."
        return
    repository, tag = image_tag(service, services)
    assert repository in IMAGES, repository
    assert tag == IMAGES[repository]["tag"]


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_every_pinned_tag_names_a_release_not_a_moving_tag(image: str) -> None:
    """A tag names a patch release (PostgreSQL: major.minor), never `latest` or a bare major."""
    # Prometheus tags its releases with a leading v (v3.14.0).
    assert re.fullmatch(r"v?\d+\.\d+(\.\d+)?(-[a-z0-9]+)?", IMAGES[image]["tag"])


def test_server_and_admin_tools_run_the_same_temporal_version() -> None:
    """The schema tool's version matches the server it prepares the schema for."""
    versions = {image_tag(s)[1] for s in IMAGED if image_tag(s)[0].startswith("temporalio/")}
    versions -= {image_tag(UI)[1]}
    assert versions == {image_tag(TEMPORAL)[1]}


@pytest.mark.parametrize(("compose_file", "service"), ALL_SERVICES)
def test_health_checks_and_commands_use_programs_the_image_has(
    compose_file: str, service: str
) -> None:
    """No `temporal` in the server image, no `curl` in the UI image (IMAGES says what is)."""
    spec = RAW[compose_file]["services"][service]
    programs = (
        IMAGES[image_tag(service, RAW[compose_file]["services"])[0]]["programs"]
        if ("image" in spec)
        else BUILT_PROGRAMS
    )
    used = []
    test = (spec.get("healthcheck") or {}).get("test")
    if test:
        used.append(shlex.split(test[1])[0] if test[0] == "CMD-SHELL" else test[1])
    executable = spec.get("entrypoint") or spec.get("command")  # command: the entrypoint's args
    if executable:
        first = shlex.split(executable)[0] if isinstance(executable, str) else executable[0]
        used.append(Path(first).name)
    assert set(used) <= programs, (service, used)


# -- the single-host Temporal server --------------------------------------------------------------
def test_schema_service_creates_both_temporal_databases_and_their_schemas() -> None:
    """temporal and temporal_visibility are created, set up at 0.0 and updated to the latest."""
    script = command(SCHEMA_SERVICE)
    base = "/etc/temporal/schema/postgresql/v12"
    for db, schema in (("temporal", "temporal"), ("temporal_visibility", "visibility")):
        assert f"--db {db} create" in script
        assert f"--db {db} setup-schema -v 0.0" in script
        assert f"--db {db} update-schema -d {base}/{schema}/versioned" in script


def test_temporal_server_starts_after_the_schema_service_completed() -> None:
    """The server never starts against a missing or outdated schema."""
    assert depends_on(TEMPORAL)[SCHEMA_SERVICE] == "service_completed_successfully"


def test_temporal_database_credentials_agree() -> None:
    """Schema tool, server and Temporal's PostgreSQL use one user and password."""
    server, schema = environment(TEMPORAL), environment(SCHEMA_SERVICE)
    db = environment(server["POSTGRES_SEEDS"])
    assert server["DB"] == "postgres12"
    assert server["POSTGRES_USER"] == db["POSTGRES_USER"]
    assert server["POSTGRES_PWD"] == db["POSTGRES_PASSWORD"] == schema["SQL_PASSWORD"]
    assert f"-u {db['POSTGRES_USER']}" in command(SCHEMA_SERVICE)


def test_history_shards_are_set_deliberately_as_temporals_helm_chart() -> None:
    """NUM_HISTORY_SHARDS is fixed at first start; 512, not the image's default of 4."""
    assert environment(TEMPORAL)["NUM_HISTORY_SHARDS"] == "512"


def test_server_exports_prometheus_metrics_on_the_compose_network() -> None:
    """PROMETHEUS_ENDPOINT turns on the server's metrics; the port is not published."""
    endpoint = environment(TEMPORAL)["PROMETHEUS_ENDPOINT"]
    assert endpoint.endswith(":9090")
    assert all("9090" not in str(port) for port in SERVICES[TEMPORAL]["ports"])


def test_server_reads_the_reviewed_production_dynamic_config() -> None:
    """The mounted deploy/dynamicconfig/production.yaml, not a development file."""
    path = environment(TEMPORAL)["DYNAMIC_CONFIG_FILE_PATH"]
    mounts = dict(str(v).split(":")[1::-1] for v in SERVICES[TEMPORAL]["volumes"])
    folder = mounts[str(Path(path).parent)]
    assert (ROOT / folder / Path(path).name).is_file()
    assert Path(path).name == "production.yaml"


def test_dynamic_config_allows_no_callback_address() -> None:
    """Temporal's development file allows callbacks to "*"; ours to nothing."""
    config = yaml.safe_load((ROOT / "deploy/dynamicconfig/production.yaml").read_text())
    assert config["component.callbacks.allowedAddresses"] == [{"value": []}]
    assert all(isinstance(values, list) and values for values in config.values())


@pytest.mark.parametrize("service", DATABASES)
def test_postgres_health_checks_use_tcp(service: str) -> None:
    """pg_isready over 127.0.0.1: the first-boot server listens on its socket only."""
    assert "-h 127.0.0.1" in SERVICES[service]["healthcheck"]["test"][1]


# -- what is reachable ----------------------------------------------------------------------------
@pytest.mark.parametrize(("compose_file", "service"), ALL_SERVICES)
def test_published_ports_listen_on_loopback_only(compose_file: str, service: str) -> None:
    """Temporal, the UI and the codec server: 127.0.0.1 on the host, nothing wider."""
    for port in RAW[compose_file]["services"][service].get("ports") or []:
        assert str(port).startswith("127.0.0.1:"), (service, port)


@pytest.mark.parametrize(("compose_file", "service"), ALL_SERVICES)
def test_databases_publish_no_host_ports(compose_file: str, service: str) -> None:
    """Dossiers and histories are reachable on the compose network only."""
    spec = RAW[compose_file]["services"][service]
    if str(spec.get("image", "")).startswith("postgres:"):
        assert not spec.get("ports")


# The UI's actions that end, rewind, pause or bypass a case, each hidden by one variable of the
# ui-server's config template (temporalio/ui v2.52.0 server/config/docker.yaml; the variables
# only hide the buttons, the UI server still forwards what a client sends).
UI_FORBIDDEN = {
    "TEMPORAL_WORKFLOW_TERMINATE_DISABLED": "Terminate",
    "TEMPORAL_WORKFLOW_RESET_DISABLED": "Reset",
    "TEMPORAL_WORKFLOW_CANCEL_DISABLED": "Cancel",
    "TEMPORAL_WORKFLOW_PAUSE_DISABLED": "Pause",
    "TEMPORAL_WORKFLOW_SIGNAL_DISABLED": "Send a signal (only the radar signals a case)",
    "TEMPORAL_START_WORKFLOW_DISABLED": "Start workflow, and start workflow like this one",
    "TEMPORAL_BATCH_ACTIONS_DISABLED": "batch terminate, cancel and reset",
    "TEMPORAL_ACTIVITY_COMMANDS_DISABLED": "pause, reset or complete an activity",
}


@pytest.mark.parametrize("variable", sorted(UI_FORBIDDEN))
def test_ui_hides_every_action_that_ends_rewinds_or_bypasses_a_case(variable: str) -> None:
    """Forbidden on a melding whatever .env says: the value is fixed, not a ${} reference."""
    assert SERVICES[UI]["environment"][variable] == "true"


def test_ui_lets_staff_send_updates_and_can_be_made_read_only() -> None:
    """The four decision updates may be sent from a case page (the workflow validates them);
    TEMPORAL_DISABLE_WRITE_ACTIONS=true in .env makes the whole UI read-only."""
    env = SERVICES[UI]["environment"]
    assert "TEMPORAL_WORKFLOW_UPDATE_DISABLED" not in env
    assert environment(UI)["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "false"
    assert (
        interpolate(
            env["TEMPORAL_DISABLE_WRITE_ACTIONS"], {"TEMPORAL_DISABLE_WRITE_ACTIONS": "true"}
        )
        == "true"
    )


def test_ui_login_is_configurable_with_oidc() -> None:
    """TEMPORAL_AUTH_* reach the UI from .env; off until set."""
    env = environment(UI)
    assert env["TEMPORAL_AUTH_ENABLED"] == "false"
    assert {
        "TEMPORAL_AUTH_PROVIDER_URL",
        "TEMPORAL_AUTH_CLIENT_ID",
        "TEMPORAL_AUTH_CLIENT_SECRET",
        "TEMPORAL_AUTH_CALLBACK_URL",
    } <= set(env)


def test_ui_points_at_the_temporal_service() -> None:
    """The Web UI reads from the same frontend the workers use."""
    assert environment(UI)["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{container_port(TEMPORAL)}"


def test_ui_allows_its_own_origin() -> None:
    """CORS names the origin the UI is published on."""
    origin = f"http://localhost:{str(SERVICES[UI]['ports'][0]).split(':')[1]}"
    assert origin in environment(UI)["TEMPORAL_CORS_ORIGINS"].split(",")


def test_ui_health_check_asks_healthz() -> None:
    """The UI server's own health route, fetched with the image's wget."""
    assert "http://127.0.0.1:8080/healthz" in SERVICES[UI]["healthcheck"]["test"]


# -- the codec server -----------------------------------------------------------------------------
@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_codec_server_is_behind_the_codec_profile(compose_file: str) -> None:
    """The default stack starts without it, and nothing waits for it."""
    services = RAW[compose_file]["services"]
    assert services[CODEC]["profiles"] == ["codec"]
    assert all(CODEC not in depends_on(s, services) for s in services)


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_codec_server_runs_the_starter_command_with_its_settings(compose_file: str) -> None:
    """`python -m starter codec-server`, reachable through its published port."""
    services = RAW[compose_file]["services"]
    env = environment(CODEC, services)
    assert services[CODEC]["command"] == ["python", "-m", "starter", "codec-server"]
    assert {"VT_CODEC_TOKEN", "VT_MASTER_KEY", "DATABASE_URL", "VT_CODEC_ORIGIN"} <= set(env)
    assert env["VT_CODEC_HOST"] == "0.0.0.0"
    assert str(services[CODEC]["ports"][0]).endswith(f":{env['VT_CODEC_PORT']}")
    assert env["DATABASE_URL"] == environment(WORKER, services)["DATABASE_URL"]


def test_the_ui_can_forward_its_users_token_to_a_codec_server_that_checks_it() -> None:
    """Issue 8: the UI's pass-access-token switches reach it from .env (off until set), and the
    codec server reads the OIDC settings it needs to check that token."""
    from starter.codec_server import CodecInstellingen

    ui = environment(UI)
    codec = {
        **environment(CODEC),
        "VT_CODEC_TOKEN": "een-token-van-voldoende-lengte",
        "VT_MASTER_KEY": "00" * 32,
    }
    assert ui["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] in ("", "false")
    assert ui["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] == "false"
    met_oidc = {
        **codec,
        "VT_CODEC_OIDC_ISSUER": "https://login.vt.example/realms/vt",
        "VT_CODEC_OIDC_AUDIENCE": "temporal-ui",
    }
    assert {k for k in met_oidc if k.startswith("VT_CODEC_OIDC_")} == {
        "VT_CODEC_OIDC_ISSUER",
        "VT_CODEC_OIDC_AUDIENCE",
        "VT_CODEC_OIDC_JWKS_URL",
        # Issue 19: the claims of roles and organisations (empty: vt_rollen, vt_organisaties).
        "VT_CODEC_OIDC_ROLLEN_CLAIM",
        "VT_CODEC_OIDC_ORGANISATIES_CLAIM",
    }
    instellingen = CodecInstellingen.uit_omgeving(met_oidc)
    assert instellingen.oidc is not None and len(instellingen.toegang.tokens) == 1
    assert CodecInstellingen.uit_omgeving(codec).oidc is None  # off while the issuer is empty
    [login] = instellingen.toegang.tokens.values()
    assert login.organisaties == ("*",) and instellingen.toegang.rollen_claim == "vt_rollen"


def test_ui_uses_the_codec_server_from_the_browser_and_allows_its_origin() -> None:
    """TEMPORAL_CODEC_ENDPOINT is the codec's host port; the codec's CORS origin is the UI."""
    codec = environment(CODEC)
    assert (
        environment(UI)["TEMPORAL_CODEC_ENDPOINT"] == f"http://localhost:{codec['VT_CODEC_PORT']}"
    )
    assert codec["VT_CODEC_ORIGIN"] in environment(UI)["TEMPORAL_CORS_ORIGINS"].split(",")


# -- search attributes ----------------------------------------------------------------------------
def test_every_search_attribute_is_registered_with_its_contract_type() -> None:
    """The registration script registers exactly the attributes of docs/contract.md."""
    pairs = re.findall(r"^registreer (\w+) (\w+)$", command(SEARCH_ATTRIBUTE_SERVICE), re.M)
    assert dict(pairs) == names.SEARCH_ATTRIBUTES
    assert len(pairs) == len(names.SEARCH_ATTRIBUTES)


def test_search_attribute_registration_fails_on_a_type_mismatch() -> None:
    """The CLI accepts an attribute that exists with the same type; one with another type
    ("already exists and has different type") stops the service instead of passing."""
    script = command(SEARCH_ATTRIBUTE_SERVICE)
    assert re.search(r'\*"different type"\*\)\s*\n(\s+echo .*\n)*\s+exit [1-9]', script)
    assert '*"already exists"*) echo' not in script
    assert SERVICES[SEARCH_ATTRIBUTE_SERVICE]["restart"] == "no"


def test_search_attributes_are_registered_at_the_healthy_temporal_service() -> None:
    """Registration dials the temporal service once it reports healthy."""
    env = environment(SEARCH_ATTRIBUTE_SERVICE)
    assert env["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{INTERNAL_FRONTEND_PORT}"
    assert depends_on(SEARCH_ATTRIBUTE_SERVICE)[TEMPORAL] == "service_healthy"


def test_search_attributes_are_registered_in_the_worker_namespace() -> None:
    """The namespace the attributes go to is the one the worker uses."""
    namespace = environment(WORKER)["TEMPORAL_NAMESPACE"]
    assert environment(SEARCH_ATTRIBUTE_SERVICE)["TEMPORAL_NAMESPACE"] == namespace


# -- the worker ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("compose_file", "unset"),
    [("docker-compose.yml", SELF_HOSTED_UNSET), ("docker-compose.cloud.yml", SDK_ALTERNATIVES)],
)
def test_worker_environment_is_what_the_worker_reads(
    compose_file: str, unset: dict[str, str]
) -> None:
    """Every variable worker.py reads is set, except those left unset on purpose; none is a typo.
    Derived from worker.py: a new variable there fails here until the stack sets it."""
    env = environment(WORKER, RAW[compose_file]["services"])
    assert set(env) == set(gelezen_door_worker()) - set(unset)


def test_worker_task_queue_is_the_contract_task_queue() -> None:
    """Workers poll the task queue the starter and docs/contract.md use."""
    assert environment(WORKER)[names.TASK_QUEUE_ENV] == names.TASK_QUEUE


def test_worker_temporal_address_points_at_the_internal_frontend() -> None:
    """The worker dials the temporal service's internal frontend, where its client certificate
    authenticates it; the public frontend (the published port) wants a JWT too."""
    assert environment(WORKER)["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{INTERNAL_FRONTEND_PORT}"
    assert container_port(TEMPORAL) != INTERNAL_FRONTEND_PORT


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_worker_database_url_matches_the_app_db_service(compose_file: str) -> None:
    """DATABASE_URL names app-db with the user, password and database app-db creates."""
    services = RAW[compose_file]["services"]
    url, db = urlsplit(environment(WORKER, services)["DATABASE_URL"]), environment(APP_DB, services)
    assert (url.scheme, url.hostname, url.port) == ("postgresql", APP_DB, 5432)
    assert (url.username, url.password) == (db["POSTGRES_USER"], db["POSTGRES_PASSWORD"])
    assert url.path.lstrip("/") == db["POSTGRES_DB"]


def test_worker_metrics_port_is_the_worker_default() -> None:
    """Compose sets the metrics port the worker uses when none is given."""
    assert int(environment(WORKER)["VT_METRICS_PORT"]) == worker_module().STANDAARD_METRICS_POORT


def test_worker_healthcheck_probes_the_metrics_port() -> None:
    """A worker is healthy when its metrics endpoint accepts connections."""
    probe = " ".join(SERVICES[WORKER]["healthcheck"]["test"])
    assert environment(WORKER)["VT_METRICS_PORT"] in probe


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_worker_stop_grace_period_covers_the_stop_timeout_and_a_margin(compose_file: str) -> None:
    """Compose waits VT_STOP_TIMEOUT plus a margin before SIGKILL, both set explicitly."""
    services = RAW[compose_file]["services"]
    stop_timeout = int(environment(WORKER, services)["VT_STOP_TIMEOUT"])
    grace = seconds(services[WORKER]["stop_grace_period"])
    assert grace >= stop_timeout + GRACE_MARGIN_SECONDS


def test_worker_waits_for_the_search_attributes_and_a_healthy_app_db() -> None:
    """Workers start once their database answers and the search attributes exist."""
    deps = depends_on(WORKER)
    assert deps[APP_DB] == "service_healthy"
    assert deps[SEARCH_ATTRIBUTE_SERVICE] == "service_completed_successfully"


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_worker_can_scale(compose_file: str) -> None:
    """`--scale worker=N` needs no container_name and no fixed host port."""
    worker = RAW[compose_file]["services"][WORKER]
    assert "container_name" not in worker and not worker.get("ports")


# -- Temporal Cloud --------------------------------------------------------------------------------
def test_cloud_stack_has_no_temporal_services_and_no_dangling_dependency() -> None:
    """Cloud runs Temporal: no temporal* service, and every dependency is in the file."""
    services = CLOUD["services"]
    assert not [s for s in services if s.startswith("temporal")]
    for service in services:
        assert set(depends_on(service, services)) <= set(services)


def test_cloud_worker_takes_address_namespace_and_api_key_from_the_environment() -> None:
    """TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_API_KEY are required, TLS on."""
    raw = CLOUD["services"][WORKER]["environment"]
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY"):
        assert re.fullmatch(rf"\$\{{{name}:\?.+\}}", raw[name])
    assert raw["TEMPORAL_TLS"] == "true"


def test_cloud_worker_equals_the_single_host_worker_apart_from_temporal() -> None:
    """One worker definition in two files: they differ only in how Temporal is reached."""

    def without_temporal(spec: dict[str, Any]) -> dict[str, Any]:
        env = {k: v for k, v in spec["environment"].items() if not k.startswith("TEMPORAL_")}
        # volumes: the self-hosted worker mounts its Temporal client certificate.
        return {**spec, "environment": env, "depends_on": None, "volumes": None}

    assert without_temporal(CLOUD["services"][WORKER]) == without_temporal(SERVICES[WORKER])
    assert CLOUD["services"][APP_DB] == SERVICES[APP_DB]


# -- every service ---------------------------------------------------------------------------------
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_depends_on_target_is_a_defined_service(service: str) -> None:
    """A dependency names a service of this file."""
    assert set(depends_on(service)) <= set(SERVICES)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_depends_on_condition_is_a_compose_condition(service: str) -> None:
    """Conditions are the three compose knows."""
    assert set(depends_on(service).values()) <= CONDITIONS


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_healthy_is_only_awaited_on_services_with_a_healthcheck(service: str) -> None:
    """Waiting for health of a service without a healthcheck would never end."""
    for target, condition in depends_on(service).items():
        if condition == "service_healthy":
            assert "healthcheck" in SERVICES[target], target


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_long_running_services_restart_after_a_crash(service: str) -> None:
    """Servers, databases, UI and workers come back by themselves."""
    assert SERVICES[service].get("restart") in {"always", "unless-stopped"}


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_long_running_services_have_a_healthcheck(service: str) -> None:
    """Compose and operators can tell a live service from a hung one."""
    assert SERVICES[service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ONE_SHOTS)
def test_one_shot_services_do_not_restart_forever(service: str) -> None:
    """A finished set-up job stays finished."""
    assert SERVICES[service].get("restart", "no") not in {"always", "unless-stopped"}


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_named_volumes_are_declared(compose_file: str) -> None:
    """Every named volume a service mounts is declared, so its data outlives the container."""
    services = RAW[compose_file]["services"].values()
    mounts = [
        v["source"] if isinstance(v, dict) else str(v).split(":")[0]
        for s in services
        for v in s.get("volumes", [])
    ]
    named = {m for m in mounts if not m.startswith((".", "/", "~"))}
    assert named and named <= set(RAW[compose_file].get("volumes") or {})


# -- the worker image ------------------------------------------------------------------------------
def test_worker_builds_from_the_repository_dockerfile() -> None:
    """The worker image is built from `.` with the Dockerfile in this repository."""
    build = SERVICES[WORKER]["build"]
    assert build["context"] == "."
    assert (ROOT / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE


def test_dockerfile_command_runs_worker_py() -> None:
    """The image starts the worker bootstrap."""
    (cmd,) = dockerfile_lines("CMD")
    assert json.loads(cmd) == ["python", "worker.py"]


def test_dockerfile_copies_every_module_pyproject_installs() -> None:
    """Every package and module pyproject.toml names, plus migrations/, is in the image."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    wanted = {p.rstrip("*") for p in setuptools["packages"]["find"]["include"]}
    wanted |= {f"{m}.py" for m in setuptools["py-modules"]} | {"migrations"}
    copied = {Path(src).name for line in dockerfile_lines("COPY") for src in shlex.split(line)[:-1]}
    assert wanted <= copied


def test_dockerfile_runs_as_a_non_root_user() -> None:
    """The worker process has no root privileges."""
    (user,) = dockerfile_lines("USER")
    assert user.strip() not in {"root", "0"}


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    """The venv, git history, local data, secrets and tests never enter the build context."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".git", ".data", ".env", "tests"} <= ignored


# -- mTLS and the authorizer (docs/deployment.md, "mTLS and the authorizer") -----------------------
TLS_INIT = "temporal-tls"
SERVER_NAME = "temporal"  # the SAN of deploy/secrets.sh's server certificate
# Services that talk to Temporal, with the variables that carry their certificate: the SDK's
# (worker, codec server), the `temporal` CLI's through zoekattributen.sh, the UI server's.
SDK_TLS = (
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
)
UI_TLS = ("TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA")
TEMPORAL_CLIENTS = {WORKER: SDK_TLS, CODEC: SDK_TLS, UI: UI_TLS}


def tls_mounts(service: str) -> dict[str, str]:
    """Container folder -> folder of the volume `temporal-tls` a service mounts (read-only)."""
    found = {}
    for volume in SERVICES[service].get("volumes", []):
        if isinstance(volume, dict) and volume.get("source") == TLS_INIT:
            assert volume["read_only"] is True, service
            found[volume["target"]] = volume["volume"]["subpath"]
    return found


def tls_folders() -> dict[str, dict[str, str]]:
    """Folder in the volume -> {file: uid}, as the copying service `temporal-tls` fills it."""
    script = command(TLS_INIT)
    folders: dict[str, dict[str, str]] = {}
    for folder, uid, files in re.findall(r"^\s*zet (\w+) (\d+) ([\w. -]+)$", script, re.M):
        folders[folder] = dict.fromkeys(files.split(), uid)
    return folders


def certificate_file(service: str, path: str) -> str:
    """The file of deploy/tls a path in a service's container is, through its mounted folder."""
    folder, name = str(Path(path).parent), Path(path).name
    subpath = tls_mounts(service)[folder]
    assert name in tls_folders()[subpath], (service, path)
    return name


def test_clients_of_temporal_are_all_known() -> None:
    """Every service that dials Temporal is in TEMPORAL_CLIENTS or is the registration job: a new
    one without mTLS settings fails here."""
    dialing = {s for s in SERVICES if "TEMPORAL_ADDRESS" in environment(s)}
    assert dialing == set(TEMPORAL_CLIENTS) | {SEARCH_ATTRIBUTE_SERVICE}


@pytest.mark.parametrize("service", [*sorted(TEMPORAL_CLIENTS), "temporal-create-namespace"])
def test_every_client_of_temporal_presents_our_client_certificate(service: str) -> None:
    """Certificate, key and CA from its own folder of `temporal-tls`: the client pair and the CA
    of deploy/secrets.sh, and the server verified by the name in its certificate."""
    variables = TEMPORAL_CLIENTS.get(service, SDK_TLS)
    env = environment(service)
    cert, key, ca = (certificate_file(service, env[v]) for v in variables)
    assert (cert, key, ca) == ("client.pem", "client-key.pem", "ca.pem")
    assert env["TEMPORAL_TLS_SERVER_NAME"] == SERVER_NAME
    assert depends_on(service).keys() & {TLS_INIT, TEMPORAL}


def test_sdk_clients_switch_tls_on_and_the_ui_verifies_the_host() -> None:
    """TEMPORAL_TLS for the SDK (also implied by the paths), host verification in the UI."""
    for service in (WORKER, CODEC):
        assert environment(service)["TEMPORAL_TLS"] == "true"
    assert environment(UI)["TEMPORAL_TLS_ENABLE_HOST_VERIFICATION"] == "true"


def test_the_server_requires_a_client_certificate_of_our_ca_on_every_port() -> None:
    """Frontend and internode (so the internal frontend) present server.pem and accept only
    clients whose certificate our CA signed."""
    env = environment(TEMPORAL)
    assert env["TEMPORAL_TLS_REQUIRE_CLIENT_AUTH"] == "true"
    for variable in ("TEMPORAL_TLS_FRONTEND_CERT", "TEMPORAL_TLS_SERVER_CERT"):
        assert certificate_file(TEMPORAL, env[variable]) == "server.pem"
    for variable in ("TEMPORAL_TLS_FRONTEND_KEY", "TEMPORAL_TLS_SERVER_KEY"):
        assert certificate_file(TEMPORAL, env[variable]) == "server-key.pem"
    for variable in (
        "TEMPORAL_TLS_CLIENT1_CA_CERT",
        "TEMPORAL_TLS_CLIENT2_CA_CERT",  # the template lists both once the first is set
        "TEMPORAL_TLS_SERVER_CA_CERT",
    ):
        assert certificate_file(TEMPORAL, env[variable]) == "ca.pem"
    assert env["TEMPORAL_TLS_INTERNODE_SERVER_NAME"] == SERVER_NAME
    assert env["TEMPORAL_TLS_FRONTEND_SERVER_NAME"] == SERVER_NAME
    assert depends_on(TEMPORAL)[TLS_INIT] == "service_completed_successfully"


def test_the_public_frontend_authorizes_by_jwt_with_the_default_authorizer() -> None:
    """authorizer and claim mapper `default` are fixed; the JWKS comes from .env; permissions
    `<namespace>:<role>` in the claim `permissions` unless .env names another."""
    raw, env = SERVICES[TEMPORAL]["environment"], environment(TEMPORAL)
    assert raw["TEMPORAL_AUTH_AUTHORIZER"] == raw["TEMPORAL_AUTH_CLAIM_MAPPER"] == "default"
    assert re.fullmatch(r"\$\{VT_TEMPORAL_JWKS_URL:-\}", raw["TEMPORAL_JWT_KEY_SOURCE1"])
    jwks = "https://login.vt.example/realms/vt/protocol/openid-connect/certs"
    assert interpolate(raw["TEMPORAL_JWT_KEY_SOURCE1"], {"VT_TEMPORAL_JWKS_URL": jwks}) == jwks
    assert env["TEMPORAL_JWT_PERMISSIONS_CLAIM"] == "permissions"


def test_workers_use_the_internal_frontend_which_is_never_published() -> None:
    """The default authorizer denies a request with a client certificate but no JWT, so our
    services dial the internal frontend (client certificate only); it is started, and no port
    of the host reaches it."""
    env = environment(TEMPORAL)
    assert env["USE_INTERNAL_FRONTEND"] == "true"
    assert "internal-frontend" in env["TEMPORAL_SERVICES"].split(",")
    assert {"frontend", "history", "matching", "worker"} <= set(env["TEMPORAL_SERVICES"].split(","))
    for service in SERVICES:
        for port in SERVICES[service].get("ports") or []:
            assert not str(port).endswith(f":{INTERNAL_FRONTEND_PORT}"), service
    assert environment(UI)["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{container_port(TEMPORAL)}"


def test_each_service_mounts_only_its_own_certificates_owned_by_its_user() -> None:
    """The server alone has the server key; the client key is in the clients' folders; each
    folder belongs to the uid its image runs as (Temporal's images 1000, ours 10001)."""
    folders = tls_folders()
    assert [f for f, files in folders.items() if "server-key.pem" in files] == ["server"]
    assert "ca-key.pem" not in {name for files in folders.values() for name in files}
    uids = {"server": "1000", "ui": "1000", "beheer": "1000", "worker": "10001"}
    for folder, files in folders.items():
        assert set(files.values()) == {uids[folder]}, folder
    assert tls_mounts(TEMPORAL) == {"/etc/temporal/tls": "server"}
    assert tls_mounts(UI) == {"/etc/temporal/tls": "ui"}
    assert tls_mounts(WORKER) == tls_mounts(CODEC) == {"/etc/vt/tls": "worker"}
    script = command(TLS_INIT)
    assert "chmod 700" in script and 'chmod 600 "$map"/*' in script


def test_the_certificates_come_from_deploy_tls_read_only() -> None:
    """`temporal-tls` reads deploy/secrets.sh's folder, never writes it, and stops when a file is
    missing; it runs as root only to hand each folder to its user."""
    spec = SERVICES[TLS_INIT]
    assert "./deploy/tls:/bron:ro" in spec["volumes"]
    assert spec["user"] == "0:0" and spec["restart"] == "no"
    assert re.search(r"\[ -s /bron/\$f \] \|\| \{ echo .*; exit 1; \}", command(TLS_INIT))
    assert TLS_INIT in RAW["docker-compose.yml"]["volumes"]


def test_the_server_name_the_clients_verify_is_the_one_secrets_sh_certifies() -> None:
    """TEMPORAL_TLS_SERVER_NAME everywhere equals SERVER_NAAM of deploy/secrets.sh, which the
    server certificate carries as its SAN (tests/unit/test_deploy_scripts.py checks the SAN)."""
    (naam,) = re.findall(r"^SERVER_NAAM=(\S+)$", SECRETS_SCRIPT.read_text(), re.M)
    assert naam == SERVER_NAME

"""DESIGN §6, production topology: docker-compose.yml, the Dockerfile and the code agree.

No Docker engine runs here, so the compose file is read as YAML and checked for consistency
with the contract names, the worker's configuration and itself.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from domain import names

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
DOCKERFILE = ROOT / "Dockerfile"

TEMPORAL, UI, APP_DB, WORKER = "temporal", "temporal-ui", "app-db", "worker"
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
OFFICIAL_IMAGE = re.compile(r"^(?P<repo>temporalio/(server|admin-tools|ui)|postgres):(?P<tag>\S+)$")
# Values for the variables compose would take from the shell or .env.
SHELL_ENV = {"VT_DB_PASSWORD": "db-geheim", "VT_REGISTER_SLEUTEL": "hmac-sleutel"}


def interpolate(value: str) -> str:
    """Resolve `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$` the way compose does."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in SHELL_ENV:
            return SHELL_ENV[name]
        if op == ":?":
            raise KeyError(f"{name} is required: {arg}")
        return arg or ""

    resolved = re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value.replace("$$", "\0"))
    return resolved.replace("\0", "$")


def environment(service: str) -> dict[str, str]:
    """A service's environment, list or mapping form, interpolated."""
    env = SERVICES[service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: interpolate(str(value)) for key, value in env.items()}


def depends_on(service: str) -> dict[str, str]:
    """A service's dependencies, short or long form, as target -> condition."""
    deps = SERVICES[service].get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {target: spec.get("condition", "service_started") for target, spec in deps.items()}


def command(service: str) -> str:
    """A service's entrypoint and command as one interpolated string."""
    parts: list[str] = []
    for key in ("entrypoint", "command"):
        value = SERVICES[service].get(key) or []
        parts.extend([value] if isinstance(value, str) else value)
    return interpolate("\n".join(parts))


def service_running(text: str) -> str:
    """The one service whose command contains `text`."""
    (found,) = [name for name in SERVICES if text in command(name)]
    return found


ONE_SHOTS = sorted(
    {t for s in SERVICES for t, c in depends_on(s).items() if c == "service_completed_successfully"}
    & set(SERVICES)
)
LONG_RUNNING = sorted(set(SERVICES) - set(ONE_SHOTS))
SCHEMA_SERVICE = service_running("temporal-sql-tool")
SEARCH_ATTRIBUTE_SERVICE = service_running("search-attribute create")


def image_tag(service: str) -> tuple[str, str]:
    """(repository, tag) of a service's image."""
    match = OFFICIAL_IMAGE.match(SERVICES[service]["image"])
    assert match, f"{service}: {SERVICES[service]['image']} is not an official image"
    return match["repo"], match["tag"]


def container_port(service: str) -> int:
    """The container side of a service's first published port."""
    return int(str(SERVICES[service]["ports"][0]).split(":")[-1].split("/")[0])


def worker_module() -> ModuleType:
    """The worker's bootstrap, imported only by the tests that need it."""
    return importlib.import_module("worker")


def dockerfile_lines(instruction: str) -> list[str]:
    """The arguments of every Dockerfile line starting with `instruction`."""
    lines = DOCKERFILE.read_text().splitlines()
    return [line.split(None, 1)[1] for line in lines if line.upper().startswith(instruction + " ")]


IMAGED = sorted(name for name in SERVICES if "image" in SERVICES[name])
DATABASES = sorted(name for name in IMAGED if SERVICES[name]["image"].startswith("postgres:"))


@pytest.mark.parametrize("service", IMAGED)
def test_every_image_is_an_official_temporal_or_postgres_image(service: str) -> None:
    """Only temporalio/server, admin-tools, ui and postgres images are pulled."""
    assert OFFICIAL_IMAGE.match(SERVICES[service]["image"])


@pytest.mark.parametrize("service", IMAGED)
def test_every_image_tag_is_pinned_not_latest(service: str) -> None:
    """An image tag names a version, so an upgrade is a reviewed change."""
    _, tag = image_tag(service)
    assert tag != "latest" and re.match(r"^\d+(\.\d+)*", tag)


def test_every_service_without_an_image_is_built() -> None:
    """A service has either an official image or a build section."""
    assert all("image" in spec or "build" in spec for spec in SERVICES.values())


def test_admin_tools_and_server_run_the_same_temporal_version() -> None:
    """The schema tool's version matches the server it prepares the schema for."""
    versions = {image_tag(s)[1].split("-")[0] for s in IMAGED if image_tag(s)[0] != "postgres"}
    versions -= {image_tag(UI)[1]}
    assert versions == {image_tag(TEMPORAL)[1]}


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


def test_worker_environment_keys_are_read_by_the_worker() -> None:
    """The worker reads every variable compose gives it; none is a typo."""
    assert set(environment(WORKER)) <= set(worker_module().OMGEVINGSVARIABELEN)


def test_worker_environment_names_database_temporal_and_task_queue() -> None:
    """The three settings without which a worker cannot do its job are set."""
    assert {"DATABASE_URL", "TEMPORAL_ADDRESS", "VT_TASK_QUEUE"} <= set(environment(WORKER))


def test_worker_task_queue_is_the_contract_task_queue() -> None:
    """Workers poll the task queue the starter and CONTRACT.md use."""
    assert environment(WORKER)[names.TASK_QUEUE_ENV] == names.TASK_QUEUE


def test_worker_temporal_address_points_at_the_temporal_frontend() -> None:
    """The worker dials the temporal service on its container port."""
    assert environment(WORKER)["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{container_port(TEMPORAL)}"


def test_worker_database_url_matches_the_app_db_service() -> None:
    """DATABASE_URL names app-db with the user, password and database app-db creates."""
    url, db = urlsplit(environment(WORKER)["DATABASE_URL"]), environment(APP_DB)
    assert (url.scheme, url.hostname, url.port) == ("postgresql", APP_DB, 5432)
    assert (url.username, url.password) == (db["POSTGRES_USER"], db["POSTGRES_PASSWORD"])
    assert url.path.lstrip("/") == db["POSTGRES_DB"]


def test_worker_refuses_to_start_without_a_register_sleutel() -> None:
    """The BSN HMAC key has no default: compose stops with a message when it is unset."""
    raw = SERVICES[WORKER]["environment"]["VT_REGISTER_SLEUTEL"]
    assert re.fullmatch(r"\$\{VT_REGISTER_SLEUTEL:\?.+\}", raw)


def test_worker_metrics_port_is_the_worker_default() -> None:
    """Compose sets the metrics port the worker uses when none is given."""
    assert int(environment(WORKER)["VT_METRICS_PORT"]) == worker_module().STANDAARD_METRICS_POORT


def test_worker_healthcheck_probes_the_metrics_port() -> None:
    """A worker is healthy when its metrics endpoint accepts connections."""
    probe = " ".join(SERVICES[WORKER]["healthcheck"]["test"])
    assert environment(WORKER)["VT_METRICS_PORT"] in probe


def test_worker_waits_for_the_search_attributes_and_a_healthy_app_db() -> None:
    """Workers start once their database answers and the search attributes exist."""
    deps = depends_on(WORKER)
    assert deps[APP_DB] == "service_healthy"
    assert deps[SEARCH_ATTRIBUTE_SERVICE] == "service_completed_successfully"


def test_worker_has_no_container_name_so_it_can_scale() -> None:
    """`--scale worker=N` needs compose to name each replica."""
    assert "container_name" not in SERVICES[WORKER]


def test_worker_publishes_no_host_ports_so_it_can_scale() -> None:
    """Replicas would clash on a fixed host port."""
    assert not SERVICES[WORKER].get("ports")


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


def test_every_search_attribute_is_registered_with_its_contract_type() -> None:
    """The search-attribute service registers exactly the attributes of CONTRACT.md."""
    pairs = re.findall(r"--name\s+(\w+)\s+--type\s+(\w+)", command(SEARCH_ATTRIBUTE_SERVICE))
    assert dict(pairs) == names.SEARCH_ATTRIBUTES
    assert len(pairs) == len(names.SEARCH_ATTRIBUTES)


def test_search_attribute_registration_tolerates_already_exists() -> None:
    """Rerunning `docker compose up` does not fail on attributes registered before."""
    assert "already exists" in command(SEARCH_ATTRIBUTE_SERVICE)


def test_search_attributes_are_registered_at_the_healthy_temporal_service() -> None:
    """Registration dials the temporal service once it reports healthy."""
    assert f"--address {TEMPORAL}:{container_port(TEMPORAL)}" in command(SEARCH_ATTRIBUTE_SERVICE)
    assert depends_on(SEARCH_ATTRIBUTE_SERVICE)[TEMPORAL] == "service_healthy"


def test_search_attributes_are_registered_in_the_worker_namespace() -> None:
    """The namespace the attributes go to is the one the worker uses."""
    namespace = environment(WORKER)["TEMPORAL_NAMESPACE"]
    assert f"-n {namespace} " in command(SEARCH_ATTRIBUTE_SERVICE)


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


def test_ui_points_at_the_temporal_service() -> None:
    """The Web UI reads from the same frontend the workers use."""
    assert environment(UI)["TEMPORAL_ADDRESS"] == f"{TEMPORAL}:{container_port(TEMPORAL)}"


def test_ui_allows_its_own_origin() -> None:
    """CORS names the origin the UI is published on."""
    origin = f"http://localhost:{str(SERVICES[UI]['ports'][0]).split(':')[0]}"
    assert origin in environment(UI)["TEMPORAL_CORS_ORIGINS"].split(",")


@pytest.mark.parametrize("service", DATABASES)
def test_databases_publish_no_host_ports(service: str) -> None:
    """Dossiers and histories are reachable on the compose network only."""
    assert not SERVICES[service].get("ports")


def test_named_volumes_are_declared() -> None:
    """Every named volume a service mounts is declared, so its data outlives the container."""
    mounts = [str(v).split(":")[0] for s in SERVICES.values() for v in s.get("volumes", [])]
    named = {m for m in mounts if not m.startswith((".", "/", "~"))}
    assert named and named <= set(COMPOSE.get("volumes") or {})

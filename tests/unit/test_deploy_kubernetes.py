"""deploy/kubernetes: our workers (and the codec server) beside Temporal's Helm chart or Temporal
Cloud, as a kustomize base with overlays.

No cluster runs here. The overlays are rendered by a small renderer of the kustomize features
we use (resources, components, configMapGenerator, strategic-merge patches, images,
namespace); where kubectl is installed its built-in kustomize renders them too and must agree.
Every rendered object is validated against the Kubernetes JSON schemas (kubernetes-validate).
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from contract import names
from tests.unit.test_deploy_omgeving import (
    SDK_ALTERNATIVES,
    SELF_HOSTED_UNSET,
    gelezen_door_worker,
)

ROOT = Path(__file__).resolve().parents[2]
KUSTOMIZE = ROOT / "deploy" / "kubernetes"
CODEC_COMPONENT = KUSTOMIZE / "components" / "codec"
OVERLAYS = sorted(p.name for p in (KUSTOMIZE / "overlays").iterdir())
# Each overlay as shipped and with the codec component switched on.
VARIANTS = [(o, codec) for o in OVERLAYS for codec in (False, True)]
KUBERNETES_VERSIONS = ("1.33.0", "1.37.0")  # oldest and newest we validate against
STOP_MARGIN_SECONDS = 10
UNSET = {"zelf-gehost": SELF_HOSTED_UNSET, "cloud": SDK_ALTERNATIVES}
ADMIN_TOOLS = "temporalio/admin-tools:1.31.2"  # as docker-compose.yml (tests/unit/test_compose.py)

Doc = dict[str, Any]


# -- the renderer ----------------------------------------------------------------------------------
def key(doc: Doc) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


def merge(base: Any, patch: Any) -> Any:
    """Strategic merge as kustomize does it for what we patch: maps merge, lists of named
    items merge by name, other lists and scalars are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for field, value in patch.items():
            merged[field] = merge(base[field], value) if field in base else value
        return merged
    if isinstance(base, list) and isinstance(patch, list):
        if all(isinstance(i, dict) and "name" in i for i in base + patch):
            by_name = {item["name"]: item for item in base}
            for item in patch:
                by_name[item["name"]] = merge(by_name.get(item["name"], {}), item)
            return list(by_name.values())
        return patch
    return patch


def load(folder: Path, extra_components: tuple[Path, ...] = ()) -> dict[tuple[str, str], Doc]:
    """The objects one kustomization (or component) produces."""
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text())
    objects: dict[tuple[str, str], Doc] = {}
    for entry in spec.get("resources", []):
        path = folder / entry
        documents = load(path).values() if path.is_dir() else yaml.safe_load_all(path.read_text())
        for doc in documents:
            objects[key(doc)] = copy.deepcopy(doc)
    for generator in spec.get("configMapGenerator", []):
        data = {Path(f).name: (folder / f).read_text() for f in generator.get("files", [])}
        data |= dict(item.split("=", 1) for item in generator.get("literals", []))
        assert generator.get("options", {}).get("disableNameSuffixHash"), "renderer: no hashes"
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}}
        objects[key(doc)] = {**doc, "data": data}
    components = [folder / c for c in spec.get("components", [])] + list(extra_components)
    for component in components:
        objects = apply_component(objects, component)
    for patch in spec.get("patches", []):
        text = (folder / patch["path"]).read_text() if "path" in patch else patch["patch"]
        for doc in yaml.safe_load_all(text):
            if doc.pop("$patch", None) == "delete":
                del objects[key(doc)]
            else:
                objects[key(doc)] = merge(objects[key(doc)], doc)
    for image in spec.get("images", []):
        for doc in objects.values():
            for container in pod_spec(doc).get("containers", []):
                repository, _, tag = container["image"].partition(":")
                if repository == image["name"]:
                    repository = image.get("newName", repository)
                    container["image"] = f"{repository}:{image.get('newTag', tag)}"
    if "namespace" in spec:
        for doc in objects.values():
            doc["metadata"]["namespace"] = spec["namespace"]
    return objects


def apply_component(
    objects: dict[tuple[str, str], Doc], folder: Path
) -> dict[tuple[str, str], Doc]:
    """A Component adds its resources and patches the objects it is applied to."""
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text())
    assert spec["kind"] == "Component"
    objects = dict(objects)
    for entry in spec.get("resources", []):
        for doc in yaml.safe_load_all((folder / entry).read_text()):
            objects[key(doc)] = doc
    for patch in spec.get("patches", []):
        for doc in yaml.safe_load_all((folder / patch["path"]).read_text()):
            objects[key(doc)] = merge(objects[key(doc)], doc)
    return objects


def pod_spec(doc: Doc) -> Doc:
    return doc.get("spec", {}).get("template", {}).get("spec", {}) if "spec" in doc else {}


@cache
def render(overlay: str, codec: bool) -> dict[tuple[str, str], Doc]:
    components = (CODEC_COMPONENT,) if codec else ()
    return load(KUSTOMIZE / "overlays" / overlay, components)


def normalised(node: Any) -> Any:
    """Order-free form for comparing with kubectl: named lists sorted by name."""
    if isinstance(node, dict):
        return {k: normalised(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [normalised(v) for v in node]
        if all(isinstance(i, dict) and "name" in i for i in items):
            return sorted(items, key=lambda i: i["name"])
        return items
    return node


def container(overlay: str, codec: bool, kind_name: tuple[str, str]) -> Doc:
    (found,) = pod_spec(render(overlay, codec)[kind_name])["containers"]
    return found


def env_names(spec: Doc) -> set[str]:
    return {item["name"] for item in spec.get("env", [])}


WORKER = ("Deployment", "veilig-thuis-worker")
CODEC = ("Deployment", "veilig-thuis-codec")
JOB = ("Job", "veilig-thuis-zoekattributen")
SECRET_KEYS = {
    "DATABASE_URL",
    "VT_REGISTER_SLEUTEL",
    "VT_REGISTER_SLEUTELS_OUD",
    "TEMPORAL_API_KEY",
    "VT_CODEC_TOKEN",
    "VT_MASTER_KEY",
    "VT_SMTP_GEBRUIKER",
    "VT_SMTP_WACHTWOORD",
}


# -- rendering and schemas -------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (kustomize) not installed")
@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_kubectl_kustomize_renders_what_the_tests_check(
    overlay: str, codec: bool, tmp_path: Path
) -> None:
    """The real kustomize (in kubectl) produces the same objects as the renderer here; with
    the codec, on a copy whose overlay lists the component, as an operator switches it on."""
    target = KUSTOMIZE / "overlays" / overlay
    if codec:
        shutil.copytree(KUSTOMIZE, tmp_path / "kubernetes")
        target = tmp_path / "kubernetes" / "overlays" / overlay
        spec = yaml.safe_load((target / "kustomization.yaml").read_text())
        spec["components"] = [*spec.get("components", []), "../../components/codec"]
        (target / "kustomization.yaml").write_text(yaml.safe_dump(spec))
    result = subprocess.run(
        ["kubectl", "kustomize", str(target)], capture_output=True, text=True, check=True
    )
    real = {key(doc): doc for doc in yaml.safe_load_all(result.stdout)}
    assert normalised(real) == normalised(render(overlay, codec))


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_every_object_is_valid_against_the_kubernetes_schema(
    overlay: str, codec: bool, version: str
) -> None:
    """Strict validation: unknown fields (typos) are errors, for the oldest and newest
    Kubernetes version we support."""
    for doc in render(overlay, codec).values():
        kubernetes_validate.validate(doc, version, strict=True)


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_every_object_lands_in_the_overlay_namespace(overlay: str, codec: bool) -> None:
    """Nothing is created in `default` by accident."""
    assert {d["metadata"].get("namespace") for d in render(overlay, codec).values()} == {
        "veilig-thuis"
    }


def test_the_codec_server_is_off_unless_switched_on() -> None:
    """The component adds it; the shipped overlays do not list it."""
    for overlay in OVERLAYS:
        assert CODEC not in render(overlay, False)
        assert CODEC in render(overlay, True)


# -- the pods --------------------------------------------------------------------------------------
def deployments_and_jobs(overlay: str, codec: bool) -> list[Doc]:
    return [d for d in render(overlay, codec).values() if d["kind"] in {"Deployment", "Job"}]


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_pods_run_as_non_root_with_a_read_only_root_filesystem(overlay: str, codec: bool) -> None:
    """No root, no privilege escalation, no capabilities, no API token, a writable /tmp only."""
    for doc in deployments_and_jobs(overlay, codec):
        pod = pod_spec(doc)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        for spec in pod["containers"]:
            context = spec["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_every_container_has_requests_and_limits(overlay: str, codec: bool) -> None:
    """CPU and memory requested (scheduling) and limited (a runaway pod stays contained)."""
    for doc in deployments_and_jobs(overlay, codec):
        for spec in pod_spec(doc)["containers"]:
            assert {"cpu", "memory"} <= set(spec["resources"]["requests"])
            assert {"cpu", "memory"} <= set(spec["resources"]["limits"])


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_long_running_containers_have_readiness_and_liveness_probes(
    overlay: str, codec: bool
) -> None:
    """Probes on a port the container declares."""
    for doc in render(overlay, codec).values():
        if doc["kind"] != "Deployment":
            continue
        for spec in pod_spec(doc)["containers"]:
            ports = {p["name"] for p in spec["ports"]} | {p["containerPort"] for p in spec["ports"]}
            for probe in ("readinessProbe", "livenessProbe"):
                handler = spec[probe].get("httpGet") or spec[probe].get("tcpSocket")
                assert handler["port"] in ports, (doc["metadata"]["name"], probe)


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_every_deployment_has_a_disruption_budget(overlay: str, codec: bool) -> None:
    """A node drain never takes all replicas at once."""
    objects = render(overlay, codec)
    budgets = [d for d in objects.values() if d["kind"] == "PodDisruptionBudget"]
    for doc in objects.values():
        if doc["kind"] == "Deployment":
            labels = doc["spec"]["template"]["metadata"]["labels"]
            assert any(
                b["spec"]["selector"]["matchLabels"].items() <= labels.items() for b in budgets
            ), doc["metadata"]["name"]
            assert doc["spec"]["replicas"] >= 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_worker_gets_its_stop_timeout_and_a_margin_before_sigkill(overlay: str) -> None:
    """terminationGracePeriodSeconds >= VT_STOP_TIMEOUT + a margin."""
    objects = render(overlay, False)
    stop_timeout = int(objects[("ConfigMap", "veilig-thuis")]["data"]["VT_STOP_TIMEOUT"])
    grace = pod_spec(objects[WORKER])["terminationGracePeriodSeconds"]
    assert grace >= stop_timeout + STOP_MARGIN_SECONDS


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_worker_probes_ask_the_metrics_endpoint_on_the_configured_port(overlay: str) -> None:
    """worker.py has no health endpoint; its Prometheus endpoint on VT_METRICS_PORT is real."""
    objects = render(overlay, False)
    port = int(objects[("ConfigMap", "veilig-thuis")]["data"]["VT_METRICS_PORT"])
    worker = container(overlay, False, WORKER)
    assert {p["containerPort"] for p in worker["ports"] if p["name"] == "metrics"} == {port}
    assert worker["readinessProbe"]["httpGet"] == {"path": "/metrics", "port": "metrics"}


# -- configuration and secrets ---------------------------------------------------------------------
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_worker_environment_is_what_the_worker_reads(overlay: str) -> None:
    """Every variable worker.py reads is set, except those left unset on purpose.
    Derived from worker.py: a new variable there fails here until the manifests set it."""
    worker = container(overlay, False, WORKER)
    assert env_names(worker) == set(gelezen_door_worker()) - set(UNSET[overlay])


@pytest.mark.parametrize(("overlay", "codec"), VARIANTS)
def test_secrets_come_from_the_secret_and_nothing_else_does(overlay: str, codec: bool) -> None:
    """Secret values are never in a manifest: a secretKeyRef into `veilig-thuis`, and every
    configMapKeyRef names a key the ConfigMap has."""
    objects = render(overlay, codec)
    config = objects[("ConfigMap", "veilig-thuis")]["data"]
    for doc in deployments_and_jobs(overlay, codec):
        for spec in pod_spec(doc)["containers"]:
            for item in spec.get("env", []):
                source = item.get("valueFrom", {})
                if item["name"] in SECRET_KEYS:
                    ref = {k: v for k, v in source["secretKeyRef"].items() if k != "optional"}
                    assert ref == {"name": "veilig-thuis", "key": item["name"]}
                elif "configMapKeyRef" in source:
                    assert source["configMapKeyRef"]["key"] in config, item["name"]
                else:
                    assert "secretKeyRef" not in source


def test_worker_uses_the_contract_task_queue() -> None:
    """Workers poll the task queue the starter and docs/contract.md use."""
    for overlay in OVERLAYS:
        data = render(overlay, False)[("ConfigMap", "veilig-thuis")]["data"]
        assert data[names.TASK_QUEUE_ENV] == names.TASK_QUEUE


def test_cloud_worker_uses_tls_and_an_api_key() -> None:
    """Against Temporal Cloud: TEMPORAL_TLS and TEMPORAL_API_KEY from the Secret."""
    worker = container("cloud", False, WORKER)
    env = {item["name"]: item for item in worker["env"]}
    assert env["TEMPORAL_TLS"]["value"] == "true"
    assert "TEMPORAL_API_KEY" in env


# -- search attributes -----------------------------------------------------------------------------
def test_search_attributes_are_registered_by_a_job_with_the_admin_tools_image() -> None:
    """The same script as docker-compose.yml, run by `temporal` of the admin-tools image."""
    objects = render("zelf-gehost", False)
    job = container("zelf-gehost", False, JOB)
    assert job["image"] == ADMIN_TOOLS
    script = objects[("ConfigMap", "veilig-thuis-zoekattributen")]["data"]["zoekattributen.sh"]
    assert script == (KUSTOMIZE / "base" / "zoekattributen.sh").read_text()
    assert "temporal operator search-attribute create" in script
    assert re.search(r"\n\s+exit 3\n", script)


def test_a_type_mismatch_fails_the_job_without_retries() -> None:
    """Exit 3 (type mismatch) fails the Job at once: no retry can fix it."""
    (rule,) = render("zelf-gehost", False)[JOB]["spec"]["podFailurePolicy"]["rules"]
    assert rule["action"] == "FailJob"
    assert rule["onExitCodes"] == {
        "containerName": "zoekattributen",
        "operator": "In",
        "values": [3],
    }


def test_the_job_registers_in_the_workers_namespace() -> None:
    """The Job reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE from the worker's ConfigMap."""
    worker = {i["name"]: i for i in container("zelf-gehost", False, WORKER)["env"]}
    job = {i["name"]: i for i in container("zelf-gehost", False, JOB)["env"]}
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE"):
        assert job[name] == worker[name]


def test_cloud_has_no_registration_job() -> None:
    """On Temporal Cloud search attributes are created with tcld or the Cloud UI."""
    objects = render("cloud", False)
    assert JOB not in objects and ("ConfigMap", "veilig-thuis-zoekattributen") not in objects


# -- mTLS with a self-hosted Temporal --------------------------------------------------------------
MTLS_SECRET = "veilig-thuis-temporal-tls"
CLIENT_FILES = {
    "TEMPORAL_TLS_CLIENT_CERT_PATH": "client.pem",
    "TEMPORAL_TLS_CLIENT_KEY_PATH": "client-key.pem",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH": "ca.pem",
}


@pytest.mark.parametrize("codec", [False, True])
@pytest.mark.parametrize("kind_name", [WORKER, JOB], ids=["worker", "job"])
def test_self_hosted_clients_present_the_client_certificate(
    kind_name: tuple[str, str], codec: bool
) -> None:
    """Workers and the Job mount the Secret read-only, readable by their own user, and point
    the SDK's (and the CLI's) mTLS variables at its files and the certificate's server name."""
    objects = render("zelf-gehost", codec)
    pod = pod_spec(objects[kind_name])
    spec = container("zelf-gehost", codec, kind_name)
    env = {item["name"]: item for item in spec["env"]}
    (mount,) = [m for m in spec["volumeMounts"] if m["name"] == "temporal-tls"]
    assert mount["readOnly"] is True
    (volume,) = [v for v in pod["volumes"] if v["name"] == "temporal-tls"]
    assert volume["secret"]["secretName"] == MTLS_SECRET
    assert volume["secret"]["defaultMode"] == 0o440
    assert pod["securityContext"]["fsGroup"] == pod["securityContext"]["runAsUser"]
    for variable, name in CLIENT_FILES.items():
        assert env[variable]["value"] == f"{mount['mountPath']}/{name}"
    assert env["TEMPORAL_TLS"]["value"] == "true"
    data = objects[("ConfigMap", "veilig-thuis")]["data"]
    key = env["TEMPORAL_TLS_SERVER_NAME"]["valueFrom"]["configMapKeyRef"]["key"]
    assert data[key] == "temporal"  # the SAN of deploy/secrets.sh's server certificate


def test_self_hosted_workers_dial_the_internal_frontend() -> None:
    """The default authorizer denies a client certificate without a JWT on the public frontend;
    the internal frontend of Temporal's chart trusts the certificate (docs/deployment.md)."""
    data = render("zelf-gehost", False)[("ConfigMap", "veilig-thuis")]["data"]
    assert re.fullmatch(
        r"temporal-internal-frontend\.temporal\.svc\.cluster\.local:7236", data["TEMPORAL_ADDRESS"]
    )


def test_cloud_uses_an_api_key_and_no_client_certificate() -> None:
    """Temporal Cloud: the API key; the mTLS component is not applied."""
    for codec in (False, True):
        worker = container("cloud", codec, WORKER)
        assert not {"TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH"} & env_names(
            worker
        )
        assert all(
            v["name"] != "temporal-tls" for v in pod_spec(render("cloud", codec)[WORKER])["volumes"]
        )

"""The ops figures of issue 24 as deployed (docs/statistics.md): the Grafana dashboard asks only
for metrics statistiek.metrics serves, from the Prometheus its provisioning names, which scrapes
the statistiek service where compose runs it; all three under the profile `statistiek`."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from statistiek.metrics import families

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DASHBOARD = json.loads((ROOT / "deploy/grafana/dashboards/veilig-thuis.json").read_text())
PROMETHEUS = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
PROVISIONING = ROOT / "deploy/grafana/provisioning"


def _expressies() -> list[str]:
    uit = [t["expr"] for p in DASHBOARD["panels"] for t in p["targets"]]
    uit += [v["query"]["query"] for v in DASHBOARD["templating"]["list"]]
    return uit


def test_every_metric_the_dashboard_asks_for_is_served() -> None:
    served = {f.name for f in families([], datetime.now(UTC))}
    asked = {m for e in _expressies() for m in re.findall(r"\bvt_[a-z0-9_]+", e)}
    assert asked and asked <= served


def test_the_dashboard_reads_the_provisioned_prometheus() -> None:
    [bron] = yaml.safe_load((PROVISIONING / "datasources/prometheus.yml").read_text())[
        "datasources"
    ]
    assert bron["url"] == "http://prometheus:9090"
    for paneel in DASHBOARD["panels"]:
        assert paneel["datasource"]["uid"] == bron["uid"]
        assert {t["datasource"]["uid"] for t in paneel["targets"]} == {bron["uid"]}
    for variabele in DASHBOARD["templating"]["list"]:
        assert variabele["datasource"] == {"type": bron["type"], "uid": bron["uid"]}


def test_grafana_loads_the_dashboards_from_where_compose_mounts_them() -> None:
    [provider] = yaml.safe_load((PROVISIONING / "dashboards/veilig-thuis.yml").read_text())[
        "providers"
    ]
    mounts = {
        bron: doel for bron, doel, *_ in (v.split(":") for v in SERVICES["grafana"]["volumes"])
    }
    assert mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"


def test_prometheus_scrapes_the_statistiek_service_on_its_port() -> None:
    poort = SERVICES["statistiek"]["environment"]["VT_STATISTIEK_PORT"]
    [job] = [j for j in PROMETHEUS["scrape_configs"] if j["job_name"] == "statistiek"]
    assert job["static_configs"][0]["targets"] == [f"statistiek:{poort}"]
    mounts = [v.split(":")[1] for v in SERVICES["prometheus"]["volumes"]]
    assert "/etc/prometheus/prometheus.yml" in mounts


def test_the_ops_services_run_only_under_the_statistiek_profile() -> None:
    for naam in ("statistiek", "prometheus", "grafana"):
        assert SERVICES[naam]["profiles"] == ["statistiek"]
    assert SERVICES["statistiek"]["command"] == ["python", "-m", "statistiek.metrics"]


def _terug(dashboard: dict[str, Any]) -> dict[str, Any]:
    """The dashboard through Grafana's own dashboard model (grafana-foundation-sdk: types
    generated from Grafana's schema, v11.6) and back: what the schema does not know is lost."""
    from grafana_foundation_sdk.cog.encoder import JSONEncoder
    from grafana_foundation_sdk.cog.plugins import register_default_plugins
    from grafana_foundation_sdk.models.dashboard import Dashboard

    register_default_plugins()
    terug: dict[str, Any] = json.loads(json.dumps(Dashboard.from_json(dashboard), cls=JSONEncoder))
    return terug


def _verloren(origineel: Any, terug: Any, pad: str = "") -> list[str]:
    """The paths of `origineel` that `terug` lacks or holds another value for."""
    if isinstance(origineel, dict):
        if not isinstance(terug, dict):
            return [pad]
        return [
            v
            for k, w in origineel.items()
            for v in ([f"{pad}.{k}"] if k not in terug else _verloren(w, terug[k], f"{pad}.{k}"))
        ]
    if isinstance(origineel, list):
        if not isinstance(terug, list) or len(terug) != len(origineel):
            return [pad]
        return [
            v
            for i, (a, b) in enumerate(zip(origineel, terug, strict=True))
            for v in _verloren(a, b, f"{pad}[{i}]")
        ]
    return [] if origineel == terug else [pad]


def test_every_field_of_the_dashboard_is_one_of_grafanas_dashboard_schema() -> None:
    """Grafana itself does not run here (no package for it; docs/statistics.md): the file is
    read by Grafana's dashboard model instead, every panel type is a Grafana panel plugin and
    every query a Prometheus query, ids and query ids are unique, the grid fits 24 columns."""
    from grafana_foundation_sdk.cog import runtime
    from grafana_foundation_sdk.models import prometheus
    from grafana_foundation_sdk.models.dashboard import Dashboard

    assert _verloren(DASHBOARD, _terug(DASHBOARD)) == []
    register = runtime.Runtime()
    gelezen = Dashboard.from_json(DASHBOARD)
    for paneel, origineel in zip(gelezen.panels, DASHBOARD["panels"], strict=True):
        assert register.panelcfg_config(paneel.type_val) is not None, paneel.type_val
        assert all(isinstance(t, prometheus.Dataquery) for t in paneel.targets)
        refs = [t["refId"] for t in origineel["targets"]]
        assert len(refs) == len(set(refs))
        plek = origineel["gridPos"]
        assert plek["x"] >= 0 and plek["w"] > 0 and plek["x"] + plek["w"] <= 24
    ids = [p["id"] for p in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    assert 8 <= len(DASHBOARD["uid"]) <= 40


def test_a_field_grafana_does_not_know_is_found() -> None:
    """The check above can fail: a misspelt panel field is lost on the way through."""
    fout = json.loads(json.dumps(DASHBOARD))
    fout["panels"][0]["fieldconfig"] = {"defaults": {}}
    assert _verloren(fout, _terug(fout)) == [".panels[0].fieldconfig"]

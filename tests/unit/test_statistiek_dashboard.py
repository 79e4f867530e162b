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
    uit += [v["definition"] for v in DASHBOARD["templating"]["list"]]
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

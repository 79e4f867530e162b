"""The wijkteam's side of a warme overdracht under `make run`: accept a zaak, or hand it back,
as the wijkteam's own case system does at its gemeente's Zaken API (a new status on the zaak,
`POST /zaken/api/v1/statussen`, with a JWT of the wijkteam's own client).

    python -m keten.wijkteam aanvaard VT-VT-KEN-2026-000318
    python -m keten.wijkteam teruggeven VT-VT-KEN-2026-000318

The zaakloket (`VT_ZAAKLOKET`) and the wijkteam's client (`VT_WIJKTEAM_CLIENT`: a JSON file
with `client_id`, `secret` and the `statustypen` of accepting and handing back, written by
`make run` in `.data/zaakloket/wijkteam.json`, 0600) come from `.data/client.env`. The zaak is
found by its identificatie (`VT-<melding_id>`); one that has not arrived yet is waited for
(`--wacht`, 30 s). Veilig Thuis' worker reads the status at its next reading of the zaak and
the case goes on. A demo for the README tour; in production the wijkteam works in its own
application and Open Zaak."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from keten.zaken import CRS, token

HANDELINGEN = {"aanvaard": "aanvaard", "teruggeven": "teruggegeven"}
TOELICHTING = {
    "aanvaard": "In behandeling genomen door het wijkteam (warme overdracht).",
    "teruggeven": "Teruggegeven aan Veilig Thuis door het wijkteam.",
}


class Fout(Exception):
    """A problem this command names (exit code 1)."""


def _verzoek(
    client: dict[str, Any], methode: str, url: str, body: dict[str, Any] | None = None
) -> Any:
    kop = {
        "Authorization": f"Bearer {token(client['client_id'], client['secret'])}",
        "Accept": "application/json",
        **(CRS if "/zaken/api/v1/zaken" in url else {}),
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        kop["Content-Type"] = "application/json"
    verzoek = urllib.request.Request(url, data=data, method=methode, headers=kop)
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return json.loads(antwoord.read())
    except urllib.error.HTTPError as fout:
        raise Fout(f"zaakloket: HTTP {fout.code} op {methode} {url}") from None
    except (urllib.error.URLError, OSError) as fout:
        raise Fout(f"zaakloket {url}: niet bereikbaar ({fout})") from None


def zoek_zaak(
    loket: str, client: dict[str, Any], identificatie: str, wacht: float
) -> dict[str, Any]:
    """The zaak with this identificatie; waits up to `wacht` seconds for it to arrive."""
    vraag = urllib.parse.urlencode({"identificatie": identificatie})
    einde = time.monotonic() + wacht
    while True:
        lijst = _verzoek(client, "GET", f"{loket}/zaken/api/v1/zaken?{vraag}")
        if lijst["results"]:
            zaak: dict[str, Any] = lijst["results"][0]
            return zaak
        if time.monotonic() >= einde:
            raise Fout(f"zaak {identificatie}: niet bij het zaakloket")
        time.sleep(0.5)


def zet_status(
    loket: str, client: dict[str, Any], handeling: str, identificatie: str, wacht: float
) -> str:
    """The new status of the zaak (its URL): accepted or handed back."""
    zaak = zoek_zaak(loket, client, identificatie, wacht)
    statustype = client["statustypen"][HANDELINGEN[handeling]]
    status = _verzoek(
        client,
        "POST",
        f"{loket}/zaken/api/v1/statussen",
        {
            "zaak": zaak["url"],
            "statustype": statustype,
            "datumStatusGezet": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "statustoelichting": TOELICHTING[handeling],
        },
    )
    return str(status["url"])


def _client(pad: str | None) -> dict[str, Any]:
    if not pad:
        raise Fout("VT_WIJKTEAM_CLIENT: niet gezet (lees .data/client.env, zie README)")
    try:
        gegevens: dict[str, Any] = json.loads(Path(pad).read_text(encoding="utf-8"))
    except (OSError, ValueError) as fout:
        raise Fout(f"VT_WIJKTEAM_CLIENT: {pad} niet te lezen ({type(fout).__name__})") from None
    return gegevens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keten.wijkteam", description=__doc__)
    parser.add_argument("handeling", choices=sorted(HANDELINGEN))
    parser.add_argument("identificatie", help="de zaak, VT-<melding_id>")
    parser.add_argument("--zaakloket", default=os.environ.get("VT_ZAAKLOKET"))
    parser.add_argument("--client", default=os.environ.get("VT_WIJKTEAM_CLIENT"))
    parser.add_argument("--wacht", type=float, default=30.0, help="seconden wachten op de zaak")
    args = parser.parse_args(argv)
    try:
        if not args.zaakloket:
            raise Fout("VT_ZAAKLOKET: niet gezet (lees .data/client.env, zie README)")
        client = _client(args.client)
        zet_status(args.zaakloket, client, args.handeling, args.identificatie, args.wacht)
    except Fout as fout:
        print(f"wijkteam: {fout}", file=sys.stderr)
        return 1
    print(f"zaak {args.identificatie}: {HANDELINGEN[args.handeling]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

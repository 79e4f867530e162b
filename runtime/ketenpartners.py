"""The chain's partners of `make run` (issue 22): the wijkteam's zaakloket and the politie's
file drop, on this machine, so the README tour shows an overdracht arriving and a zorgmelding
coming in. A demo only: in production `VT_ZGW_KOPPELINGEN` names the gemeenten's Open Zaak
(docs/deployment.md, *Ketenpartners: Open Zaak*) and the drop is the politie's share.

- `<data>/zorgmeldingen/` (in/, verwerkt/, geweigerd/; keten/uitwisselmap.py): read by
  `python -m starter zorgmeldingen "$VT_ZORGMELDINGEN_MAP"`;
- unless `VT_ZGW_KOPPELINGEN` is set: the zaakloket (keten/zaakloket.py) on 127.0.0.1
  (`VT_ZAKEN_PORT`), each zaak written to `<data>/zaken/<identificatie>.json`, and the worker's
  koppelingen (`<data>/zaakloket/koppelingen.json`, 0600, a secret made anew each start): one
  gemeente, the standaard, so every overdracht goes there. The warme overdracht is on: the
  case waits until the wijkteam sets the statustype "in behandeling" (or hands the zaak back),
  which the wijkteam does with its own client (`<data>/zaakloket/wijkteam.json`, 0600):
  `python -m keten.wijkteam aanvaard VT-<melding_id>`. The worker reads the zaak every
  PEILINTERVAL_SECONDEN (a demo; in production every 4 hours)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web

from keten.uitwisselmap import Uitwisselmap
from keten.zaakloket import Zaakloket, start
from runtime.devserver import StackFout
from runtime.toegang import schrijf_geheim

GEMEENTE = "utrecht"
CLIENT_ID = "veilig-thuis-demo"
WIJKTEAM_CLIENT_ID = "wijkteam-oost-demo"
# The demo reads the zaak this often, so the tour sees the acceptance within seconds.
PEILINTERVAL_SECONDEN = 5
# The demo's catalogue: the zaakloket takes these URLs as given, as Open Zaak takes those of
# its Catalogi API (no Catalogi API runs here).
_CATALOGUS = "http://catalogi.localhost/catalogi/api/v1"
ROLTYPEN = {
    f"{_CATALOGUS}/roltypen/00000000-0000-4000-8000-000000000004": "initiator",
    f"{_CATALOGUS}/roltypen/00000000-0000-4000-8000-000000000005": "behandelaar",
    f"{_CATALOGUS}/roltypen/00000000-0000-4000-8000-000000000006": "belanghebbende",
}
# The statustypen of the wijkteam's answer: "in behandeling" (accepted) and "teruggegeven".
STATUSTYPEN = {
    "aanvaard": f"{_CATALOGUS}/statustypen/00000000-0000-4000-8000-000000000007",
    "teruggegeven": f"{_CATALOGUS}/statustypen/00000000-0000-4000-8000-000000000008",
}


def koppelingen(basis: str, secret: str) -> dict[str, Any]:
    """The worker's VT_ZGW_KOPPELINGEN for the zaakloket at `basis`."""
    roltype = {generiek: url for url, generiek in ROLTYPEN.items()}
    return {
        "standaard": GEMEENTE,
        "gemeenten": {
            GEMEENTE: {
                "woonplaatsen": ["Utrecht"],
                "zaken_url": f"{basis}/zaken/api/v1",
                "documenten_url": f"{basis}/documenten/api/v1",
                "client_id": CLIENT_ID,
                "secret": secret,
                "zaaktype": f"{_CATALOGUS}/zaaktypen/00000000-0000-4000-8000-000000000001",
                "statustype": f"{_CATALOGUS}/statustypen/00000000-0000-4000-8000-000000000002",
                "informatieobjecttype": (
                    f"{_CATALOGUS}/informatieobjecttypen/00000000-0000-4000-8000-000000000003"
                ),
                "roltype_initiator": roltype["initiator"],
                "roltype_behandelaar": roltype["behandelaar"],
                "roltype_belanghebbende": roltype["belanghebbende"],
                "bronorganisatie": "123456782",
                "verantwoordelijke_organisatie": "002220647",
                "vertrouwelijkheid": "geheim",
                "statustypen_aanvaard": [STATUSTYPEN["aanvaard"]],
                "statustypen_teruggegeven": [STATUSTYPEN["teruggegeven"]],
                "peilinterval_seconden": PEILINTERVAL_SECONDEN,
            }
        },
    }


async def start_ketenpartners(
    data: Path, poort: int, env: dict[str, str]
) -> tuple[web.AppRunner | None, dict[str, str]]:
    """The drop folder, and the zaakloket unless VT_ZGW_KOPPELINGEN is set (then sets it for the
    worker); returns the zaakloket's runner and client.env's values. StackFout: port taken."""
    drop = data / "zorgmeldingen"
    Uitwisselmap(drop)
    waarden = {"VT_ZORGMELDINGEN_MAP": str(drop)}
    if env.get("VT_ZGW_KOPPELINGEN"):
        return None, waarden
    secret, wijkteam = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    loket = Zaakloket({CLIENT_ID: secret, WIJKTEAM_CLIENT_ID: wijkteam}, ROLTYPEN, data / "zaken")
    try:
        runner = await start(loket, "127.0.0.1", poort)
    except OSError as fout:
        raise StackFout(
            f"zaakloket: poort {poort} niet te gebruiken ({fout.strerror}); kies een andere "
            "poort met VT_ZAKEN_PORT"
        ) from None
    map_ = data / "zaakloket"
    map_.mkdir(mode=0o700, exist_ok=True)
    pad = map_ / "koppelingen.json"
    schrijf_geheim(pad, json.dumps(koppelingen(loket.basis, secret), indent=2) + "\n")
    env["VT_ZGW_KOPPELINGEN"] = str(pad)
    client = {"client_id": WIJKTEAM_CLIENT_ID, "secret": wijkteam, "statustypen": STATUSTYPEN}
    schrijf_geheim(map_ / "wijkteam.json", json.dumps(client, indent=2) + "\n")
    print(
        f"Zaakloket (ZGW Zaken en Documenten, wijkteam {GEMEENTE}) op {loket.basis}, "
        f"zaken in {data / 'zaken'}",
        flush=True,
    )
    return runner, waarden | {
        "VT_ZAAKLOKET": loket.basis,
        "VT_ZAKEN_MAP": str(data / "zaken"),
        "VT_WIJKTEAM_CLIENT": str(map_ / "wijkteam.json"),
    }

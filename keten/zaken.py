"""The ZGW adapter (issue 22): an overdracht as a zaak in a gemeente's Zaken API with its
document in the Documenten API, as Open Zaak serves them (Zaken API 1.5, Documenten API 1.4).

Every request carries a fresh JWT (HS256, signed with the client's secret, claims `iss` and
`client_id`), as the ZGW APIs require. Each part is looked up before it is created, so a retry
after an interruption (a worker killed after the zaak was created) completes the same zaak:
the zaak and the document by their identificatie, the rollen (listed by the zaak) by their
roltoelichting (`VT:…`, no personal data), the link by document and zaak, the status as the
zaak's current one. Only filters the published documents define are used (there, `zaak` on
/rollen and /statussen is typed integer, so the zaak's own lists are read instead)."""

from __future__ import annotations

import base64
import time
from typing import Any

import aiohttp
import jwt

from domain.keten import (
    Betrokkenheid,
    GemeenteKoppeling,
    ZaakGeweigerd,
    Zaakoverdracht,
    ZaakTijdelijk,
    ZaakVerwijzing,
)

# The coordinate system of a zaak's geometry; the Zaken API requires the headers on /zaken.
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
GEBRUIKER = "veilig-thuis"


def token(client_id: str, secret: str, nu: float | None = None) -> str:
    """The ZGW authorisation JWT of one request."""
    claims = {
        "iss": client_id,
        "iat": int(nu if nu is not None else time.time()),
        "client_id": client_id,
        "user_id": GEBRUIKER,
        "user_representation": "Veilig Thuis",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class ZgwZaken:
    """The port `Zaaksysteem` over HTTP; one session per overdracht."""

    def __init__(self, timeout: float = 10.0) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def draag_over(
        self, koppeling: GemeenteKoppeling, overdracht: Zaakoverdracht
    ) -> ZaakVerwijzing:
        async with aiohttp.ClientSession(timeout=self._timeout) as sessie:
            api = _Api(sessie, koppeling)
            url = await api.zaak(overdracht)
            zaak = await api.lees_zaak(url)
            await api.rollen(zaak, overdracht)
            document = await api.document(overdracht)
            await api.koppel(url, document, overdracht.document_titel)
            await api.status(zaak, overdracht)
        return ZaakVerwijzing(identificatie=overdracht.identificatie, url=url)

    async def statustype(self, koppeling: GemeenteKoppeling, zaak_url: str) -> str | None:
        async with aiohttp.ClientSession(timeout=self._timeout) as sessie:
            api = _Api(sessie, koppeling)
            zaak = await api.lees_zaak(zaak_url)
            if not zaak.get("status"):
                return None
            status = await api.lees_status(str(zaak["status"]))
        return str(status["statustype"])


class _Api:
    def __init__(self, sessie: aiohttp.ClientSession, koppeling: GemeenteKoppeling) -> None:
        self.s, self.k = sessie, koppeling
        self.zaken = koppeling.zaken_url.rstrip("/")
        self.documenten = koppeling.documenten_url.rstrip("/")

    # -- the parts, each found or created ---------------------------------------------------
    async def zaak(self, o: Zaakoverdracht) -> str:
        zoek = {"identificatie": o.identificatie, "bronorganisatie": self.k.bronorganisatie}
        gevonden = await self._lijst(f"{self.zaken}/zaken", zoek, "zaken", CRS)
        if gevonden:
            return str(gevonden[0]["url"])
        body = {
            "identificatie": o.identificatie,
            "bronorganisatie": self.k.bronorganisatie,
            "verantwoordelijkeOrganisatie": self.k.verantwoordelijke_organisatie,
            "zaaktype": self.k.zaaktype,
            "omschrijving": o.omschrijving,
            "toelichting": o.toelichting,
            "startdatum": o.startdatum.isoformat(),
            "vertrouwelijkheidaanduiding": self.k.vertrouwelijkheid,
        }
        status, antwoord = await self._verzoek("POST", f"{self.zaken}/zaken", "zaken", body, CRS)
        if status == 400 and _code(antwoord) == "identificatie-niet-uniek":
            # Another attempt created it between our look-up and this request.
            gevonden = await self._lijst(f"{self.zaken}/zaken", zoek, "zaken", CRS)
            if gevonden:
                return str(gevonden[0]["url"])
        return str(self._aangemaakt(status, antwoord, "zaken")["url"])

    async def rollen(self, zaak: dict[str, Any], o: Zaakoverdracht) -> None:
        """The zaak lists its rollen (URLs): each is read for its roltoelichting."""
        bestaand = set()
        for url in zaak.get("rollen") or []:
            rol = await self._lees(str(url), "rollen")
            bestaand.add(rol.get("roltoelichting"))
        for body in self._rollen(str(zaak["url"]), o):
            if body["roltoelichting"] in bestaand:
                continue
            status, antwoord = await self._verzoek("POST", f"{self.zaken}/rollen", "rollen", body)
            self._aangemaakt(status, antwoord, "rollen")

    def _rollen(self, zaak: str, o: Zaakoverdracht) -> list[dict[str, Any]]:
        k = self.k
        rollen: list[dict[str, Any]] = [
            _eenheid(zaak, k.roltype_initiator, "VT:initiator", "VT", "Veilig Thuis"),
            _eenheid(zaak, k.roltype_behandelaar, "VT:behandelaar", "ketenpartner", o.ketenpartner),
        ]
        for nummer, b in enumerate(o.belanghebbenden, start=1):
            rollen.append(_persoon(zaak, k.roltype_belanghebbende, nummer, b))
        return rollen

    async def document(self, o: Zaakoverdracht) -> str:
        url = f"{self.documenten}/enkelvoudiginformatieobjecten"
        zoek = {"identificatie": o.identificatie, "bronorganisatie": self.k.bronorganisatie}
        gevonden = await self._lijst(url, zoek, "documenten")
        if gevonden:
            return str(gevonden[0]["url"])
        inhoud = o.document_tekst.encode()
        body = {
            "identificatie": o.identificatie,
            "bronorganisatie": self.k.bronorganisatie,
            "creatiedatum": o.startdatum.isoformat(),
            "titel": o.document_titel,
            "vertrouwelijkheidaanduiding": self.k.vertrouwelijkheid,
            "auteur": "Veilig Thuis",
            "status": "definitief",
            "formaat": "text/plain",
            "taal": "dut",
            "bestandsnaam": f"{o.identificatie}.txt",
            "inhoud": base64.b64encode(inhoud).decode(),
            "bestandsomvang": len(inhoud),
            "informatieobjecttype": self.k.informatieobjecttype,
            "indicatieGebruiksrecht": False,
        }
        status, antwoord = await self._verzoek("POST", url, "documenten", body)
        return str(self._aangemaakt(status, antwoord, "documenten")["url"])

    async def koppel(self, zaak: str, document: str, titel: str) -> None:
        url = f"{self.zaken}/zaakinformatieobjecten"
        gekoppeld = await self._lijst(url, {"informatieobject": document}, "zaakinformatieobjecten")
        if any(z.get("zaak") == zaak for z in gekoppeld):
            return
        body = {"zaak": zaak, "informatieobject": document, "titel": titel}
        status, antwoord = await self._verzoek("POST", url, "zaakinformatieobjecten", body)
        self._aangemaakt(status, antwoord, "zaakinformatieobjecten")

    async def status(self, zaak: dict[str, Any], o: Zaakoverdracht) -> None:
        """The first status, unless the zaak has one (ours from an earlier attempt, or the
        partner's own: then it moved on and ours is not set after it)."""
        if zaak.get("status"):
            return
        body = {
            "zaak": zaak["url"],
            "statustype": self.k.statustype,
            "datumStatusGezet": o.gezet_op.isoformat(),
            "statustoelichting": o.status_toelichting,
        }
        url = f"{self.zaken}/statussen"
        status, antwoord = await self._verzoek("POST", url, "statussen", body)
        self._aangemaakt(status, antwoord, "statussen")

    async def lees_zaak(self, url: str) -> dict[str, Any]:
        return await self._lees(url, "zaken", CRS)

    async def lees_status(self, url: str) -> dict[str, Any]:
        return await self._lees(url, "statussen")

    async def _lees(self, url: str, deel: str, kop: dict[str, str] | None = None) -> dict[str, Any]:
        status, antwoord = await self._verzoek("GET", url, deel, None, kop)
        if status != 200 or not isinstance(antwoord, dict):
            raise _fout(status, deel)
        return antwoord

    # -- HTTP ---------------------------------------------------------------------------------
    async def _lijst(
        self, url: str, zoek: dict[str, str], deel: str, kop: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every result of a list request, following `next` (a paginated list)."""
        resultaten: list[dict[str, Any]] = []
        volgende: str | None = url
        params: dict[str, str] | None = zoek
        while volgende:
            status, antwoord = await self._verzoek("GET", volgende, deel, None, kop, params)
            if status == 200 and isinstance(antwoord, list):  # a list the API does not page
                return resultaten + antwoord
            if status != 200 or not isinstance(antwoord, dict):
                raise _fout(status, deel)
            resultaten.extend(antwoord.get("results", []))
            volgende, params = antwoord.get("next"), None
        return resultaten

    async def _verzoek(
        self,
        methode: str,
        url: str,
        deel: str,
        body: dict[str, Any] | None = None,
        kop: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        headers = {
            "Authorization": f"Bearer {token(self.k.client_id, self.k.secret)}",
            "Accept": "application/json",
            **(kop or {}),
        }
        if methode == "GET":
            headers.pop("Content-Crs", None)
        try:
            async with self.s.request(
                methode, url, json=body, headers=headers, params=params
            ) as antwoord:
                inhoud = await antwoord.json(content_type=None) if antwoord.content_length else None
                return antwoord.status, inhoud
        except (aiohttp.ClientError, TimeoutError, ValueError) as fout:
            raise ZaakTijdelijk(f"{deel} onbereikbaar ({type(fout).__name__})") from None

    @staticmethod
    def _aangemaakt(status: int, antwoord: Any, deel: str) -> dict[str, Any]:
        if status != 201 or not isinstance(antwoord, dict) or "url" not in antwoord:
            raise _fout(status, deel)
        return antwoord


def _fout(status: int, deel: str) -> Exception:
    """5xx, 429 and 409 may pass; any other answer is a refusal (a code, never the content)."""
    if status >= 500 or status in (409, 429):
        return ZaakTijdelijk(f"{deel} {status}")
    return ZaakGeweigerd(f"{deel} {status}")


def _code(antwoord: Any) -> str | None:
    """The code of a ZGW validation error (`invalidParams[].code`)."""
    if not isinstance(antwoord, dict):
        return None
    for fout in antwoord.get("invalidParams") or []:
        if isinstance(fout, dict) and fout.get("code"):
            return str(fout["code"])
    return None


def _eenheid(zaak: str, roltype: str, sleutel: str, ident: str, naam: str) -> dict[str, Any]:
    return {
        "zaak": zaak,
        "roltype": roltype,
        "roltoelichting": sleutel,
        "betrokkeneType": "organisatorische_eenheid",
        "betrokkeneIdentificatie": {"identificatie": ident, "naam": naam[:50]},
    }


def _persoon(zaak: str, roltype: str, nummer: int, b: Betrokkenheid) -> dict[str, Any]:
    persoon: dict[str, Any] = {}
    if b.bsn:
        persoon["inpBsn"] = b.bsn
    if b.geslachtsnaam:
        persoon["geslachtsnaam"] = b.geslachtsnaam[:200]
    if b.voornamen:
        persoon["voornamen"] = b.voornamen[:200]
    if b.geboortedatum:
        persoon["geboortedatum"] = b.geboortedatum.isoformat()
    return {
        "zaak": zaak,
        "roltype": roltype,
        # The key a retry finds the rol by: its number and role in the melding, no name.
        "roltoelichting": f"VT:belanghebbende:{nummer}:{b.rol.value}",
        "betrokkeneType": "natuurlijk_persoon",
        "betrokkeneIdentificatie": persoon,
    }

"""Who asks the codec server: every caller is a login (domain.identiteit.Auteur), taken from its
credential only, never from a header it sets about itself.

- `VT_CODEC_TOKENS`: a JSON file of bearer tokens, each naming a person or a service account
  with its roles and organisations: `{"tokens": [{"sha256": "<hex of the token>", "id":
  "mw-0042", "soort": "persoon", "rollen": ["medewerker"], "organisaties": ["utrecht"]}]}`
  (hashes only: the file reveals no token). An integrator's token is one per organisation.
- `VT_CODEC_TOKEN`: one static token (at least 16 characters), the service account
  `VT_CODEC_ACCOUNT` (default `svc-integratie`, role integrator) of the organisations
  `VT_CODEC_ORGANISATIES` (comma-separated regio slugs; `*`, the default, all of them).
- OIDC (`VT_CODEC_OIDC_ISSUER`, `VT_CODEC_OIDC_AUDIENCE`): a JWT of that provider, as the Web UI
  forwards it; the login id from claim `vt_medewerker` (else `sub`), the roles from claim
  `VT_CODEC_OIDC_ROLLEN_CLAIM` (default `vt_rollen`), the organisations from claim
  `VT_CODEC_OIDC_ORGANISATIES_CLAIM` (default `vt_organisaties`); a dotted name reads a nested
  claim (Keycloak's `realm_access.roles`), a text claim is split on commas (docs/privacy.md).
- A service account may act for a person only with that person's own OIDC token in
  `X-Vt-Namens` (a token the provider signed: verifiable, unlike a free header).
- `VT_CODEC_UI_PAD`: a secret path segment (`make run`): `/<segment>/decode` is the local Web
  UI, as `web-ui-lokaal` (role ops).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from domain.identiteit import Auteur, Soort, Taakrol
from domain.reikwijdte import ALLE, controleer_organisaties
from starter import oidc

HEADER_NAMENS = "X-Vt-Namens"
# make run's Web UI: the developer on this machine, every region (no login to tell who).
UI_LOKAAL = Auteur(
    id="web-ui-lokaal",
    soort=Soort.SYSTEEM,
    rollen=(Taakrol.OPS, Taakrol.MEDEWERKER),
    organisaties=(ALLE,),
)


def _adres_hex(host: str, poort: int) -> str | None:
    """An IPv4 loopback address as /proc/net/tcp writes it (little-endian hex)."""
    try:
        delen = [int(d) for d in host.removeprefix("::ffff:").split(".")]
    except ValueError:
        return None
    if len(delen) != 4:
        return None
    return "".join(f"{d:02X}" for d in reversed(delen)) + f":{poort:04X}"


def eigenaar_van_verbinding(peer: tuple[str, int], eigen: tuple[str, int]) -> int | None:
    """The uid of the local process at the other end of a loopback TCP connection (its socket
    in /proc/net/tcp: local = `peer`, remote = `eigen`), or None when it cannot be told."""
    van, naar = _adres_hex(*peer), _adres_hex(*eigen)
    if van is None or naar is None:
        return None
    try:
        regels = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for regel in regels:
        velden = regel.split()
        if len(velden) > 7 and velden[1] == van and velden[2] == naar:
            return int(velden[7])
    return None


class Afgewezen(Exception):
    def __init__(self, status: int, reden: str) -> None:
        super().__init__(reden)
        self.status, self.reden = status, reden


def _tokens_uit_bestand(pad: str) -> dict[str, Auteur]:
    try:
        inhoud = json.loads(Path(pad).read_text(encoding="utf-8"))
        regels = inhoud["tokens"]
        uit = {}
        for regel in regels:
            sha = str(regel["sha256"]).lower()
            if len(sha) != 64:
                raise ValueError("sha256: 64 hexadecimale tekens")
            auteur = Auteur.model_validate({k: v for k, v in regel.items() if k != "sha256"})
            controleer_organisaties(auteur.organisaties)
            uit[sha] = auteur
        return uit
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as fout:
        raise ValueError(f"VT_CODEC_TOKENS ({pad}): onleesbaar ({type(fout).__name__})") from None


@dataclass(frozen=True)
class Toegangsregels:
    """The credentials the codec server accepts, by the sha256 of the token text."""

    tokens: Mapping[str, Auteur] = field(default_factory=dict, repr=False)
    ui_pad: str = field(default="", repr=False)
    oidc: oidc.OidcInstellingen | None = None
    rollen_claim: str = "vt_rollen"
    organisaties_claim: str = "vt_organisaties"

    @property
    def leeg(self) -> bool:
        return not self.tokens and not self.ui_pad and self.oidc is None

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> Toegangsregels:
        tokens: dict[str, Auteur] = {}
        if pad := env.get("VT_CODEC_TOKENS", ""):
            tokens.update(_tokens_uit_bestand(pad))
        if token := env.get("VT_CODEC_TOKEN", ""):
            if len(token) < 16:
                raise ValueError("VT_CODEC_TOKEN is korter dan 16 tekens")
            account = env.get("VT_CODEC_ACCOUNT") or "svc-integratie"
            organisaties = tuple(
                o.strip() for o in (env.get("VT_CODEC_ORGANISATIES") or ALLE).split(",")
            )
            tokens[_sha(token)] = Auteur(
                id=account,
                soort=Soort.SYSTEEM,
                rollen=(Taakrol.INTEGRATOR,),
                organisaties=controleer_organisaties(tuple(o for o in organisaties if o)),
            )
        ui_pad = env.get("VT_CODEC_UI_PAD", "")
        if ui_pad and (len(ui_pad) < 16 or "/" in ui_pad):
            raise ValueError("VT_CODEC_UI_PAD: een geheim van minstens 16 tekens, zonder '/'")
        toegang = cls(
            tokens=tokens,
            ui_pad=ui_pad,
            oidc=oidc.OidcInstellingen.uit_omgeving(env),
            rollen_claim=env.get("VT_CODEC_OIDC_ROLLEN_CLAIM") or "vt_rollen",
            organisaties_claim=env.get("VT_CODEC_OIDC_ORGANISATIES_CLAIM") or "vt_organisaties",
        )
        if toegang.leeg:
            raise ValueError(
                "geen toegang ingesteld: VT_CODEC_TOKENS (tokens per login), VT_CODEC_TOKEN "
                "(≥ 16 tekens), of VT_CODEC_OIDC_ISSUER met VT_CODEC_OIDC_AUDIENCE"
            )
        return toegang


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _claim(claims: Mapping[str, Any], naam: str) -> list[str]:
    """A claim's texts: `a.b` reads a nested claim (Keycloak's `realm_access.roles`); a text is
    split on commas (a user attribute mapped as one string)."""
    waarde: Any = claims
    for deel in naam.split("."):
        waarde = waarde.get(deel) if isinstance(waarde, Mapping) else None
    if isinstance(waarde, str):
        waarde = waarde.split(",")
    if not isinstance(waarde, list):
        return []
    return [w.strip().removeprefix("/") for w in waarde if isinstance(w, str) and w.strip()]


def auteur_uit_claims(
    claims: Mapping[str, Any], rollen_claim: str, organisaties_claim: str = "vt_organisaties"
) -> Auteur:
    """The login a provider's token names. Unknown roles and regions are ignored (a provider
    carries roles of other applications), so a user without a known one gets no content."""
    wie = str(claims.get("vt_medewerker") or claims.get("sub") or "")[:64]
    if not wie:
        raise oidc.TokenGeweigerd("geen sub")
    bekend = set(Taakrol.__members__.values())
    rollen = tuple(Taakrol(r) for r in _claim(claims, rollen_claim) if r in bekend)
    organisaties: list[str] = []
    for organisatie in _claim(claims, organisaties_claim):
        try:
            organisaties.extend(controleer_organisaties((organisatie,)))
        except ValueError:
            continue
    return Auteur(id=wie, soort=Soort.PERSOON, rollen=rollen, organisaties=tuple(organisaties))


class Poortwachter:
    """Names the caller of one request, or raises Afgewezen (401/403/503, a short reason)."""

    def __init__(self, toegang: Toegangsregels) -> None:
        self.toegang = toegang
        self.controle = oidc.OidcControle(toegang.oidc) if toegang.oidc else None

    async def sluit(self) -> None:
        if self.controle is not None:
            await self.controle.sluit()

    def ui_pad(self, pad: str) -> bool:
        geheim = self.toegang.ui_pad
        eerste = pad.strip("/").split("/", 1)[0]
        return bool(geheim) and hmac.compare_digest(eerste.encode(), geheim.encode())

    async def wie(
        self,
        headers: Mapping[str, str],
        pad: str,
        verbinding: tuple[tuple[str, int], tuple[str, int]] | None = None,
    ) -> Auteur:
        """`verbinding`: (peer, own address) of the TCP connection; the UI segment counts only
        for a browser of the user the codec server runs as (the dev server publishes the
        segment to every local user, in its settings API and its command line)."""
        if self.ui_pad(pad):
            if verbinding is None or eigenaar_van_verbinding(*verbinding) != os.geteuid():
                raise Afgewezen(403, "het pad van de Web UI geldt alleen voor de eigen gebruiker")
            return UI_LOKAAL
        gegeven = headers.get("Authorization", "")
        token = gegeven.removeprefix("Bearer ").strip() if gegeven.startswith("Bearer ") else ""
        if token:
            gevonden = self._statisch(token)
            if gevonden is not None:
                return await self._namens(gevonden, headers)
        kandidaten = [token] if token else []
        if extra := headers.get("Authorization-Extras", "").removeprefix("Bearer ").strip():
            kandidaten.append(extra)
        if self.controle is None or not kandidaten:
            raise Afgewezen(401, "geen geldig token")
        redenen = []
        for kandidaat in kandidaten:
            try:
                return await self._oidc(kandidaat)
            except oidc.TokenGeweigerd as fout:
                redenen.append(str(fout))
        raise Afgewezen(401, "; ".join(redenen))

    def _statisch(self, token: str) -> Auteur | None:
        sha = _sha(token)
        for bekend, auteur in self.toegang.tokens.items():
            if hmac.compare_digest(bekend, sha):
                return auteur
        return None

    async def _oidc(self, token: str) -> Auteur:
        assert self.controle is not None
        try:
            claims = await self.controle.controleer(token)
        except oidc.ProviderOnbereikbaar:
            raise Afgewezen(503, "identiteitsprovider niet bereikbaar") from None
        return auteur_uit_claims(claims, self.toegang.rollen_claim, self.toegang.organisaties_claim)

    async def _namens(self, account: Auteur, headers: Mapping[str, str]) -> Auteur:
        """A service account acting for a person: only with that person's own OIDC token."""
        namens = headers.get(HEADER_NAMENS, "")
        if not namens:
            return account
        if account.soort is not Soort.SYSTEEM or not account.heeft(Taakrol.INTEGRATOR):
            raise Afgewezen(403, f"{HEADER_NAMENS}: alleen een integratie-account handelt namens")
        if self.controle is None:
            raise Afgewezen(403, f"{HEADER_NAMENS}: vraagt OIDC (VT_CODEC_OIDC_ISSUER)")
        try:
            return await self._oidc(namens.removeprefix("Bearer ").strip())
        except oidc.TokenGeweigerd as fout:
            raise Afgewezen(403, f"{HEADER_NAMENS}: {fout}") from None

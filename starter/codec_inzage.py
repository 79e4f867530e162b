"""What one `/decode` gives a login (docs/privacy.md, "Organisations and roles").

A payload without our encryption passes as it is: the state an ops person needs (summaries,
details, current details, the workflow's definition) is written readable and free of personal
data by construction (versleuteling/openbaar.py), so it needs neither a key nor PostgreSQL. An
encrypted payload is content:

- a login without a content role (ops, beheer) gets a short text in its place, at once: no key
  is read, no database asked, nothing audited (the page stays legible with PostgreSQL down);
- a login with a content role gets the content of the cases of its own organisations (decoded,
  then audited by the caller) and, for a case of another region, a refusal in its place that
  names the owning region to contact (the caller answers 403 and audits the refusal).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from temporalio.api.common.v1 import Payload

from domain.identiteit import Auteur
from domain.reikwijdte import INHOUDROLLEN, weiger_inhoud
from starter.codec_client import META_FOUT
from versleuteling.codec import (
    META_SLEUTEL,
    KeyStore,
    SleutelVernietigd,
    VersleutelCodec,
    casus_van,
    melding_van,
    versleuteld,
)

AFGESCHERMD = b"Afgeschermd"  # vt-fout of a content payload a role never sees (ops, beheer)
GEWEIGERD = b"Geweigerd"  # vt-fout of a case of another organisation


@dataclass
class Inzage:
    """The answer's payloads (as many as asked, in order), the meldingen whose content was
    decoded (payloads per case, for the audit), and the cases refused with their reason."""

    payloads: list[Payload] = field(default_factory=list)
    ontsleuteld: dict[str, int] = field(default_factory=dict)
    geweigerd: dict[str, str] = field(default_factory=dict)


def tekst_payload(tekst: str, fout: bytes, sleutel: str) -> Payload:
    """A short JSON text in a payload's place: the Web UI shows it where the content would be."""
    return Payload(
        metadata={"encoding": b"json/plain", META_FOUT: fout, "vt-sleutel": sleutel.encode()},
        data=json.dumps(tekst, ensure_ascii=False).encode(),
    )


def _casus(sleutel: str) -> str:
    casus = casus_van(sleutel)
    if casus is None:
        return "algemene gegevens"
    return casus if "/" in casus else f"melding {casus}"


async def ontsleutel(wie: Auteur, payloads: Sequence[Payload], sleutels: KeyStore) -> Inzage:
    inzage = Inzage()
    codec = VersleutelCodec(sleutels)
    inhoud = wie.heeft(*INHOUDROLLEN)
    for p in payloads:
        if not versleuteld(p):
            inzage.payloads.append(p)
            continue
        sleutel = p.metadata[META_SLEUTEL].decode()
        casus = _casus(sleutel)
        if not inhoud:
            afgeschermd = weiger_inhoud(wie, casus, None) or ""
            inzage.payloads.append(
                tekst_payload(f"[afgeschermd: {afgeschermd}]", AFGESCHERMD, sleutel)
            )
            continue
        # A case's content only for its own organisation; `algemeen` (no case) for any content role.
        eigen = casus_van(sleutel) is None
        reden = None if eigen else weiger_inhoud(wie, casus, await sleutels.regio_van(sleutel))
        if reden is not None:
            inzage.geweigerd[casus_van(sleutel) or sleutel] = reden
            inzage.payloads.append(tekst_payload(f"[geweigerd: {reden}]", GEWEIGERD, sleutel))
            continue
        try:
            [gedecodeerd] = await codec.decode([p])
        except SleutelVernietigd:
            gedecodeerd = vernietigd(sleutel)
        inzage.payloads.append(gedecodeerd)
        if melding := casus_van(sleutel):
            inzage.ontsleuteld[melding] = inzage.ontsleuteld.get(melding, 0) + 1
    return inzage


def vernietigd(sleutel: str) -> Payload:
    tekst = f"[vernietigd: de sleutel van melding {melding_van(sleutel) or sleutel} is vernietigd]"
    return tekst_payload(tekst, b"SleutelVernietigd", sleutel)

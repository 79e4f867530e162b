"""`python -m starter post`: what `make run`'s mail sink received and which letters it put in
its print folder (development only: `make run` delivers there, docs/deployment.md). The folders
come from `.data/client.env` (VT_POSTBUS_MAP, VT_BRIEVEN_MAP), else `--data`."""

from __future__ import annotations

import email
import email.policy
import json
import os
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any


def mappen(data: str | None, env: Mapping[str, str]) -> tuple[Path, Path]:
    if data is not None:
        return Path(data) / "post", Path(data) / "brieven"
    return (
        Path(env.get("VT_POSTBUS_MAP") or ".data/post"),
        Path(env.get("VT_BRIEVEN_MAP") or ".data/brieven"),
    )


def _tekst(bericht: EmailMessage) -> str:
    deel = bericht.get_body(preferencelist=("plain",))
    return "" if deel is None else str(deel.get_content()).strip()


def lees(post: Path, brieven: Path, melding_id: str | None) -> dict[str, Any]:
    mails = []
    for pad in sorted(post.glob("*.eml")) if post.exists() else []:
        bericht = email.message_from_bytes(pad.read_bytes(), policy=email.policy.default)
        assert isinstance(bericht, EmailMessage)
        if melding_id and melding_id not in str(bericht["Message-ID"]):
            continue
        mails.append(
            {
                "bestand": str(pad),
                "van": str(bericht["From"]),
                "aan": str(bericht["To"]),
                "onderwerp": str(bericht["Subject"]),
                "datum": str(bericht["Date"]),
                "message_id": str(bericht["Message-ID"]),
                "tekst": _tekst(bericht),
            }
        )
    letters = [
        str(p)
        for p in (sorted(brieven.glob("*.pdf")) if brieven.exists() else [])
        if not melding_id or p.name.startswith(f"{melding_id}-")
    ]
    return {"mails": mails, "brieven": letters}


def toon(gelezen: dict[str, Any], post: Path, brieven: Path) -> str:
    regels = [f"Post in {post}: {len(gelezen['mails'])} mail(s)"]
    for m in gelezen["mails"]:
        regels += [
            "",
            f"── {m['bestand']}",
            f"Van:       {m['van']}",
            f"Aan:       {m['aan']}",
            f"Onderwerp: {m['onderwerp']}",
            f"Datum:     {m['datum']}",
            "",
            m["tekst"],
        ]
    regels += ["", f"Brieven voor de drukstraat in {brieven}: {len(gelezen['brieven'])}"]
    regels += [f"  {b}" for b in gelezen["brieven"]]
    return "\n".join(regels)


def main(
    data: str | None, melding_id: str | None, als_json: bool, env: Mapping[str, str] | None = None
) -> int:
    post, brieven = mappen(data, os.environ if env is None else env)
    gelezen = lees(post, brieven, melding_id)
    print(json.dumps(gelezen, ensure_ascii=False) if als_json else toon(gelezen, post, brieven))
    return 0

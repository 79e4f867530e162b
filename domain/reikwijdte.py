"""Whose cases a login may read: the organisation (a Veilig Thuis region) that owns a melding,
and the roles that may see content (docs/privacy.md, "Organisations and roles").

The codec server asks these rules for every payload it would decode or encode, and for every
verklaring of a write on an existing case; the answer is a short reason that names the rule,
the login and the owning region, never a payload.
"""

from __future__ import annotations

from domain.identiteit import Auteur, Taakrol
from domain.regio import REGIOS

ALLE = "*"  # a login of every organisation (make run's local developer; the national register)
INHOUDROLLEN = (Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER, Taakrol.INTEGRATOR)
"""Roles that see a case's content, for their own organisations only. `ops` sees state (user
metadata, search attributes: never personal data by construction), `beheer` configuration and
keys; neither ever sees content."""


def controleer_organisaties(organisaties: tuple[str, ...]) -> tuple[str, ...]:
    """Each a known region or `*`; else ValueError naming the rule (never the value)."""
    for organisatie in organisaties:
        if organisatie != ALLE and organisatie not in REGIOS:
            raise ValueError(
                f"organisaties: elk een regio-slug (een van de {len(REGIOS)}) of {ALLE!r}"
            )
    return organisaties


def hoort_bij(auteur: Auteur, regio: str | None) -> bool:
    """Does the login serve the organisation that owns a case of `regio`?"""
    if ALLE in auteur.organisaties:
        return True
    return regio is not None and regio in auteur.organisaties


def weiger_inhoud(auteur: Auteur, casus: str, regio: str | None) -> str | None:
    """Why `auteur` may not read (or write) the content of `casus` (None: allowed)."""
    if not auteur.heeft(*INHOUDROLLEN):
        rollen = ", ".join(r.value for r in auteur.rollen) or "geen"
        return (
            f"inhoud van {casus}: vraagt de rol medewerker, teamleider of integrator; "
            f"de login {auteur.id} heeft {rollen} (ops en beheer zien de stand, nooit inhoud)"
        )
    if hoort_bij(auteur, regio):
        return None
    if regio is None:
        return f"inhoud van {casus}: de regio is (nog) onbekend; alleen een landelijke login"
    eigen = ", ".join(auteur.organisaties) or "geen organisatie"
    return (
        f"inhoud van {casus}: hoort bij Veilig Thuis {regio}; de login {auteur.id} werkt voor "
        f"{eigen}. Neem contact op met Veilig Thuis {regio}"
    )

"""The search attributes of docs/contract.md as typed keys, and their registration on a server
that does not know them yet (the dev server of `make run`, the test servers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

from contract import names

VT_REGIO = SearchAttributeKey.for_keyword(names.SA_REGIO)
VT_FASE = SearchAttributeKey.for_keyword(names.SA_FASE)
VT_VERVOLG = SearchAttributeKey.for_keyword(names.SA_VERVOLG)
VT_URGENTIE = SearchAttributeKey.for_keyword(names.SA_URGENTIE)
VT_VOLGENDE_DEADLINE = SearchAttributeKey.for_datetime(names.SA_VOLGENDE_DEADLINE)
VT_TERMIJN_OVERSCHREDEN = SearchAttributeKey.for_bool(names.SA_TERMIJN_OVERSCHREDEN)
VT_GEKOPPELD = SearchAttributeKey.for_int(names.SA_GEKOPPELD)
VT_BEZORGING = SearchAttributeKey.for_keyword(names.SA_BEZORGING)
VT_OVERDRACHT = SearchAttributeKey.for_keyword(names.SA_OVERDRACHT)

_SOORTEN: dict[str, Callable[[str], SearchAttributeKey[Any]]] = {
    "Keyword": SearchAttributeKey.for_keyword,
    "Datetime": SearchAttributeKey.for_datetime,
    "Bool": SearchAttributeKey.for_bool,
    "Int": SearchAttributeKey.for_int,
}


def alle_zoekattributen() -> list[SearchAttributeKey[Any]]:
    """Every search attribute as a typed key (the time-skipping test server takes these)."""
    return [_SOORTEN[soort](naam) for naam, soort in names.SEARCH_ATTRIBUTES.items()]


async def registreer_zoekattributen(client: Client) -> list[str]:
    """Add the search attributes that the server does not know yet (all of them on the
    time-skipping test server, which cannot list them); returns the names added."""
    try:
        lijst = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
        bekend = set(lijst.custom_attributes)
    except RPCError as fout:
        if fout.status is not RPCStatusCode.UNIMPLEMENTED:
            raise
        bekend = set()
    nieuw = {
        naam: IndexedValueType.Value(f"INDEXED_VALUE_TYPE_{soort.upper()}")
        for naam, soort in names.SEARCH_ATTRIBUTES.items()
        if naam not in bekend
    }
    if nieuw:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=nieuw)
        )
    return sorted(nieuw)

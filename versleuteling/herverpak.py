"""Master-key rotation (docs/privacy.md): every data key re-wrapped with the new master key.

    DATABASE_URL=… VT_MASTER_KEY=<current> VT_MASTER_KEY_NIEUW=<new> \\
        python -m versleuteling.herverpak

Stop the workers and the codec server first; start them again with VT_MASTER_KEY=<new>.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping

import asyncpg

from versleuteling.codec import SleutelFout, lees_hoofdsleutel
from versleuteling.opslag import herverpak


async def _herverpak_uit(env: Mapping[str, str]) -> int:
    oud = lees_hoofdsleutel(env.get("VT_MASTER_KEY", ""))
    nieuw = lees_hoofdsleutel(env.get("VT_MASTER_KEY_NIEUW", ""), "VT_MASTER_KEY_NIEUW")
    pool = await asyncpg.create_pool(env.get("DATABASE_URL", ""), min_size=1, max_size=2)
    try:
        return await herverpak(pool, oud, nieuw)
    finally:
        await pool.close()


def main(env: Mapping[str, str]) -> int:
    try:
        aantal = asyncio.run(_herverpak_uit(env))
    except (ValueError, SleutelFout, OSError, asyncpg.PostgresError) as fout:
        print(f"herverpak: {fout}", file=sys.stderr)
        return 1
    print(f"{aantal} datasleutels opnieuw verpakt; zet nu VT_MASTER_KEY op de nieuwe waarde")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ))

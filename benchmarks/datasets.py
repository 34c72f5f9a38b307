"""Large datasets in the bundled format: the bundled records repeated with new ids.

Copy `k` of a record gets the id `<id>-<k>`, its acronym and other names get a ` <k>` suffix (they
must stay unique across partners) and its links point into the same copy, so the result is a
valid dataset of any size with the bundled data's real texts.

    python -m benchmarks.datasets 100000 /tmp/partners-100k.json
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from partnercli.catalogue import bundled_bytes


def scaled(records: int) -> dict[str, Any]:
    """The bundled dataset with `records` partner records."""
    base: dict[str, Any] = json.loads(bundled_bytes())
    originals = base["partners"]
    partners = []
    for index in range(records):
        copy_no, original = divmod(index, len(originals))
        partner = copy.deepcopy(originals[original])
        if copy_no:
            partner["id"] = f"{partner['id']}-{copy_no}"
            if partner.get("acronym"):
                partner["acronym"] = f"{partner['acronym']} {copy_no}"
            for names in ("aliases", "former_names"):
                partner[names] = [f"{name} {copy_no}" for name in partner.get(names) or []]
            for link in partner.get("related") or []:
                link["id"] = f"{link['id']}-{copy_no}"
        partners.append(partner)
    # A partial last copy would leave links to records that were not made.
    kept = {p["id"] for p in partners}
    for partner in partners:
        partner["related"] = [r for r in partner.get("related") or [] if r["id"] in kept]
    base["partners"] = partners
    return base


def write_scaled(records: int, path: Path) -> Path:
    path.write_text(json.dumps(scaled(records), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


if __name__ == "__main__":
    write_scaled(int(sys.argv[1]), Path(sys.argv[2]))

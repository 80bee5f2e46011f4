"""Every pack, for every kind of reader and in every format, is the same on the demo data as the
recorded set: a refactor of the packs may move code, never a figure, a mark or a byte of layout.

The recorded set holds a SHA-256 of each output with the clock's moments masked (when it was
generated, when the demo was loaded), so it stays small and still catches any other change. After a
change that is meant to alter outputs, record again with `RECORD_PACK_OUTPUTS=1` and say why in the
commit.
"""

import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path

from app.demo.service import load_demo
from tests.conftest import secret_of

RECORDED = Path(__file__).parent / "recorded" / "pack_outputs.json"
REGION, LA = "E12000002", "341"
RANGE = {"from": "2016-04-01", "to": "2021-03-31"}
PACKS = {
    "care-orders-at-home": RANGE, "outcomes": RANGE, "audits": RANGE, "completeness": RANGE,
    "compare": {"measure": "orders_made", "before": "2016-04-01:2018-03-31", "after": "2018-04-01:2021-03-31"},
    "compare?measure=total_at_home": {"measure": "total_at_home", "before": "2016-04-01:2018-03-31",
                                      "after": "2018-04-01:2021-03-31"},
}
FORMATS = ("json", "csv", "xlsx", "html")
# Moments that depend on when the test runs, not on what the pack shows.
ISO_MOMENT = re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
PAGE_MOMENT = re.compile(rb"generated \d{1,2} \w+ \d{4} \d{2}:\d{2} UTC")


def _masked(body: bytes, file_format: str) -> bytes:
    if file_format == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            body = b"".join(name.encode() + b"\0" + workbook.read(name) for name in sorted(workbook.namelist()))
    return PAGE_MOMENT.sub(b"generated <moment>", ISO_MOMENT.sub(b"<moment>", body))


async def _outputs(api) -> dict[str, str]:
    readers = {"admin": api("admin"), "la-341": api("la", la=LA), "portal-north-west": api("portal", area=REGION)}
    digests = {}
    for reader, client in readers.items():
        for area in (REGION, LA):
            if reader == "portal-north-west" and area == LA:
                continue  # the same reader and suppression as the region, for one LA: covered by the LA reader
            for name, query in PACKS.items():
                path = name.split("?")[0]
                params = ({"la": area} if area == LA else {"area": area}) if path == "compare" else {"area": area}
                for file_format in FORMATS:
                    response = await client.get(f"/api/v1/packs/{path}",
                                                params={**query, **params, "format": file_format})
                    assert response.status_code == 200, (reader, area, name, file_format, response.text)
                    masked = _masked(response.content, file_format)
                    digests[f"{reader} {area} {name} {file_format}"] = hashlib.sha256(masked).hexdigest()
    return digests


async def test_every_pack_is_unchanged_for_every_reader_and_format(app, api):
    with app.state.sessionmaker() as session, session.begin():
        load_demo(session, secret_of(app))
    outputs = await _outputs(api)
    if os.environ.get("RECORD_PACK_OUTPUTS") == "1":
        RECORDED.write_text(json.dumps(outputs, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(RECORDED.read_text())
    changed = sorted(k for k in recorded if outputs.get(k) != recorded[k])
    assert set(outputs) == set(recorded)
    assert not changed, f"{len(changed)} of {len(recorded)} outputs differ, e.g. {changed[:5]}"

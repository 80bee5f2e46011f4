"""/docs must work on a network with no internet: every asset it loads is served by the app."""

import re


async def test_docs_page_loads_only_local_assets(anonymous):
    page = await anonymous.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert (await anonymous.get(source)).status_code == 200, source
    assert "/openapi.json" in page.text


def test_api_docs_name_every_compare_measure():
    from pathlib import Path
    from typing import get_args

    from app.packs.compare.query import Measure

    text = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    assert [m for m in get_args(Measure) if f"`{m}`" not in text] == []

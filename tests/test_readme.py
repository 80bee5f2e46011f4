"""The README's examples work as printed: its Python upload sends a CSV and an XLSX file to a real server."""

import csv
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import httpx
import openpyxl
from click.testing import CliRunner

from app.cli import main
from app.demo.ssda903 import SSDA903_LA as WIGAN
from tests.payloads import LIVERPOOL

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
PRINTED_URL = "http://127.0.0.1:8000"


def readme_block(language: str, containing: str) -> str:
    blocks = [b for b in re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL) if containing in b]
    assert len(blocks) == 1, f"one {language} block with {containing!r} in README.md"
    return blocks[0]


def write_csv_as_readme_makes_it(folder: Path) -> list[list[str]]:
    """The curl example's counts.csv; the Python example makes counts.xlsx of it itself."""
    shell = readme_block("bash", "cat > counts.csv")
    text = re.search(r"<<'CSV'\n(.*?)CSV\n", shell, re.DOTALL).group(1)
    (folder / "counts.csv").write_text(text, encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_readme_python_example_uploads_csv_and_xlsx(server, api, tmp_path, monkeypatch):
    rows = write_csv_as_readme_makes_it(tmp_path)
    key = api("la", la=LIVERPOOL).headers["Authorization"].removeprefix("Bearer ")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LA_KEY", key)
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(readme_block("python", "counts.xlsx").replace(PRINTED_URL, server), {})
    assert [line.split(" ")[:2] for line in printed.getvalue().splitlines()] == [
        ["counts.csv", "201"], ["counts.xlsx", "201"]], printed.getvalue()
    workbook = openpyxl.load_workbook(tmp_path / "counts.xlsx", read_only=True)
    assert [list(row) for row in workbook.active.iter_rows(values_only=True)] == rows  # the example made it
    stored = httpx.get(f"{server}/api/v1/local-authorities/{LIVERPOOL}/care-order-counts",
                       headers={"Authorization": f"Bearer {key}"}).json()
    assert stored["total"] == len(rows) - 1


def test_readme_ssda903_example_sends_the_demo_extract(app, server, api, database_url, tmp_path, monkeypatch):
    block = readme_block("bash", "demo-ssda903")
    # The tests' app reads 5,000 rows a file; the demo's episodes file has more, as the default allows.
    monkeypatch.setattr(app.state, "settings", app.state.settings.model_copy(update={"max_submission_rows": 1_000_000}))
    monkeypatch.setenv("DATABASE_URL", database_url)
    written = CliRunner().invoke(main, ["demo-ssda903", "--output-dir", str(tmp_path)])
    assert written.exit_code == 0, written.output
    key = api("la", la=WIGAN).headers["Authorization"]
    statuses = []
    for url in re.findall(r'curl -s -X POST "([^"]+)"', block):
        files = {part: (f"{part}.csv", (tmp_path / f"{part}.csv").read_bytes(), "text/csv")
                 for part in ("header", "episodes")}
        response = httpx.post(url.replace(PRINTED_URL, server), headers={"Authorization": key}, files=files, timeout=60)
        statuses.append((response.status_code, response.json().get("created", response.text[:300])))
    # Five collection years: each year's counts record and its 17 characteristics.
    assert statuses == [(200, 5 * 18), (201, 5 * 18)]

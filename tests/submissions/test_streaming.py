"""A large file is read as it streams: memory does not grow with the number of rows."""

import tempfile
import tracemalloc

from app.audit_programme.schemas import AuditProgrammeRecord
from app.submissions.parsing import parse

ROWS = 200_000


def test_parsing_a_200000_row_csv_holds_one_row_at_a_time():
    with tempfile.TemporaryFile() as file:
        file.write(b"month,planned,exempted,returned\n")
        for i in range(ROWS):
            file.write(f"{2000 + i // 12 % 100:04d}-{i % 12 + 1:02d},40,4,{i % 30}\n".encode())
        size = file.tell()
        file.seek(0)
        tracemalloc.start()
        count = sum(1 for _ in parse(file, "csv", AuditProgrammeRecord))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert count == ROWS
    # The file is about 4 MB; reading it whole (bytes, then text) would take several times that.
    assert peak < min(size / 4, 1_000_000), f"peak {peak:,} bytes for a {size:,}-byte file"

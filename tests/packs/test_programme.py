"""The solver behind the bound writes nothing of its own to the server's output, where its JSON log lines go."""

import subprocess
import sys
from pathlib import Path


def test_making_solvers_in_a_fresh_process_writes_nothing_to_standard_output():
    made = subprocess.run([sys.executable, "-c", "import app.packs.programme, highspy; highspy.Highs()"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert made.returncode == 0, made.stderr
    assert made.stdout == ""

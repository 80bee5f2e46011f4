"""The solver behind the bound writes nothing of its own to the server's standard output, which stays open."""

import subprocess
import sys
from pathlib import Path


def test_making_solvers_in_a_fresh_process_writes_nothing_of_its_own_to_standard_output():
    made = subprocess.run([sys.executable, "-c", "import app.packs.programme, highspy; highspy.Highs(); print('ours')"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert made.returncode == 0, made.stderr
    assert made.stdout == "ours\n"


def test_a_process_without_a_standard_output_still_makes_solvers():
    made = subprocess.run([sys.executable, "-c", "import os; os.close(1); import app.packs.programme, highspy; "
                           "highspy.Highs()"], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert made.returncode == 0, made.stderr

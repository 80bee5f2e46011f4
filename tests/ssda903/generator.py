"""Random valid 903 extracts, from a seed: children coming into care, moving between legal statuses and
placements in chains of episodes joined by X1, leaving care for the reasons the 903 has, and coming back."""

import random
from datetime import date, timedelta

from tests.ssda903.files import child, episode, files

# (LS, PLACE) with a weight each: orders at home are common enough that every clause is met in every extract.
STATES = [(("C1", "P1"), 5), (("C2", "P1"), 6), (("C1", "U1"), 2), (("C2", "U4"), 3), (("C2", "K1"), 1),
          (("V2", "P1"), 2), (("V2", "U1"), 3), (("E1", "A3"), 1), (("L2", "R1"), 1)]
LEAVING = ["E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E8", "E17", "E2", "E3", "E9", "E11", "E14"]
ETHNIC = ["WBRI", "WIRI", "WOTH", "WROM", "MWBC", "MOTH", "AIND", "APKN", "BCRB", "BAFR", "CHNE", "OOTH", "REFU",
          "NOBT"]
EARLIEST, LATEST = date(2008, 1, 1), date(2024, 12, 31)


def _written(day: date, rng: random.Random) -> str:
    return day.isoformat() if rng.random() < 0.5 else day.strftime("%d/%m/%Y")


def _state(rng: random.Random) -> tuple[str, str]:
    return rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]


def _periods_of_care(ref: str, born: date, rng: random.Random) -> list[list]:
    """One child's episodes: a few periods in care, each a chain of episodes joined by X1."""
    rows = []
    day = max(born, EARLIEST) + timedelta(days=rng.randint(0, 2000))
    for period in range(rng.randint(1, 3)):
        chain = rng.randint(1, 6)
        for link in range(chain):
            ls, place = _state(rng)
            # Whole years at home on an order are met as often as a few months: bands and birthdays are crossed.
            end = day + timedelta(days=rng.choice([rng.randint(1, 120), rng.randint(1, 800), rng.randint(300, 2200)]))
            last = link == chain - 1
            if last and period and rng.random() < 0.3 or end > LATEST:
                rows.append(episode(ref, _written(day, rng), ls, place, rne=rng.choice("SLPTBU")))
                return rows
            rows.append(episode(ref, _written(day, rng), ls, place, _written(end, rng),
                                rng.choice(LEAVING) if last else "X1", rne=rng.choice("SLPTBU")))
            day = end
        # Back into care: often months later, sometimes the very day the child left.
        day += timedelta(days=rng.choice([0, rng.randint(1, 60), rng.randint(1, 1500)]))
    return rows


def random_files(seed: int, children: int = 300) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    header_rows, episode_rows = [], []
    for n in range(children):
        ref = f"C{seed}-{n}"
        born = date(1998, 1, 1) + timedelta(days=rng.randint(0, 9000))
        header_rows.append(child(ref, sex=rng.choice([1, 2]), dob=_written(born, rng), ethnic=rng.choice(ETHNIC)))
        episode_rows += _periods_of_care(ref, born, rng)
    rng.shuffle(episode_rows)   # the file's order is no order at all
    return files(header_rows, episode_rows)

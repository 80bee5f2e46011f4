"""A demo LA's SSDA903 header and episodes files, simulated child by child rather than typed in.

Each child's care is a walk through legal statuses and placements drawn from weights shaped like the NW's
published figures (about one child looked after in eight placed with parents, most of them on an order; a
full order at home lasting a year or two before it is discharged). Care is simulated from 2000 so that the
children in care in 2012, where the extract starts, have the history a real case-management system would hold;
children whose care ended before then are left out. Every date after 31 March 2021 is unknown to the extract:
an episode running past it is open. Seeded by LA code, so the same LA always gives the same bytes.
"""

import csv
import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.demo.generator import DemoLa

# The demo LA whose care-order figures come from its 903 extract: Wigan, a NW metropolitan district operational
# throughout, with a few hundred children looked after, and named by no test (whose figures it would change).
SSDA903_LA = "359"
SIMULATED_FROM, EXTRACT_FROM, EXTRACT_TO = date(2000, 4, 1), date(2012, 4, 1), date(2021, 3, 31)
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
ENTRIES_A_YEAR = 215   # children starting to be looked after: with their stays, about 500 in care at a time

ETHNIC = {"WBRI": 780, "WIRI": 5, "WIRT": 4, "WOTH": 20, "WROM": 6, "MWBC": 40, "MWBA": 12, "MWAS": 14,
          "MOTH": 20, "AIND": 6, "APKN": 14, "ABAN": 3, "AOTH": 6, "BCRB": 5, "BAFR": 15, "BOTH": 5,
          "CHNE": 2, "OOTH": 15, "REFU": 3, "NOBT": 10}
CATEGORIES_OF_NEED = {"N1": 62, "N2": 4, "N3": 3, "N4": 8, "N5": 15, "N6": 2, "N8": 6}
PLACEMENT_CHANGES = {"CARPL": 20, "CHILD": 15, "LAREQ": 30, "PLACE": 15, "ALLEG": 3, "STAND": 2, "CREQO": 5,
                     "OTHER": 10}
# Where each kind of placement is: a P1 child lives at home, others mostly in or around the LA.
AREA_SECTORS = ("WN1 2", "WN2 4", "WN3 5", "WN4 8", "WN5 9", "WN6 7", "WN7 1", "M46 0", "WA3 2")
FURTHER_SECTORS = ("BL5 3", "WA11 0", "PR7 4", "M28 2", "OL9 8", "L33 6", "PR5 6")


@dataclass(frozen=True)
class Placement:
    """Who provides a placement and where: kept when only the legal status changes (RNE L)."""

    provider: str
    postcode: str
    urn: str


@dataclass
class Episode:
    decom: date
    rne: str
    ls: str
    place: str
    cin: str
    where: Placement
    dec: date | None = None
    rec: str | None = None


@dataclass
class Child:
    ref: str
    sex: int
    dob: date
    ethnic: str
    home_post: str
    episodes: list[Episode] = field(default_factory=list)

    def age(self, on: date) -> int:
        return on.year - self.dob.year - ((on.month, on.day) < (self.dob.month, self.dob.day))

    def eighteenth(self) -> date:
        try:
            return self.dob.replace(year=self.dob.year + 18)
        except ValueError:   # born on 29 February
            return date(self.dob.year + 18, 3, 1)


# A transition out of an episode: a REC that ends the child's care, or (RNE, LS, kind of placement) for the next
# episode, starting the day this one ends. "same" keeps the placement (RNE L: only the legal status changes).
Next = str | tuple[str, str, str]

DISCHARGED = {"E4A": 28, "E13": 12, "E8": 9, "E41": 6, "E45": 6, "E4B": 3}   # the order ends, the child goes home
S20_ENDED = {"E4A": 26, "E13": 10, "E8": 6, "E4B": 4, "E41": 3, "E45": 3}


def _outcomes(ls: str, at_home: bool, age: int) -> dict[Next, float]:
    """Weighted ways an episode with this legal status ends; `at_home` as `_home_like` says."""
    young = age < 5
    table: dict[tuple[str, bool], dict[Next, float]] = {
        ("V2", False): {**S20_ENDED, ("L", "C1", "same"): 22, ("P", "V2", "foster"): 18, ("P", "V2", "home"): 6,
                        ("P", "V2", "residential"): 4 * (age >= 12)},
        ("V2", True): {"E4A": 55, "E13": 10, "E8": 8, ("L", "C1", "same"): 15, ("P", "V2", "foster"): 12},
        ("L2", False): {("L", "C1", "same"): 55, ("L", "V2", "same"): 30, "E4A": 15},
        ("L1", False): {("L", "C1", "same"): 35, ("L", "V2", "same"): 35, "E4A": 30},
        ("C1", True): {("L", "C2", "same"): 58, ("P", "C1", "foster"): 14, "E4A": 10, "E13": 6, "E41": 5, "E45": 7},
        ("C1", False): {("L", "C2", "same"): 40, ("T", "C2", "home"): 6, ("P", "C1", "home"): 6,
                        ("P", "C1", "foster"): 12, ("L", "E1", "same"): 30 * young, "E45": 9, "E41": 4, "E4A": 5},
        ("C2", True): {**DISCHARGED, ("P", "C2", "foster"): 14, ("P", "C2", "home"): 4},
        ("C2", False): {("P", "C2", "home"): 12, ("P", "C2", "foster"): 36, ("P", "C2", "residential"): 8 * (age >= 11),
                        ("L", "E1", "same"): 25 * young, "E45": 12, "E41": 3},
        ("E1", False): {("P", "E1", "adoption"): 80, ("P", "E1", "foster"): 8, ("L", "C2", "same"): 6, "E11": 6},
        ("E1", True): {"E11": 85, "E12": 8, ("P", "E1", "foster"): 7},   # placed for adoption (A3-A6)
        ("J2", False): {"E14": 55, "E9": 25, ("P", "V2", "foster"): 20},
    }
    return table[(ls, at_home)]


# Median days in an episode of each legal status and placement, and how widely stays vary around it.
STAYS = {("V2", False): (150, 0.9), ("V2", True): (120, 0.7), ("L2", False): (6, 0.4), ("L1", False): (2, 0.4),
         ("C1", True): (200, 0.4), ("C1", False): (190, 0.5), ("C2", True): (500, 0.55), ("C2", False): (1300, 0.8),
         ("E1", False): (150, 0.5), ("E1", True): (260, 0.3), ("J2", False): (45, 0.6)}


def _days(rng: random.Random, ls: str, at_home: bool) -> int:
    median, spread = STAYS[(ls, at_home)]
    return max(1, round(median * math.exp(rng.gauss(0, spread))))


def _placement(rng: random.Random, kind: str, age: int, avoid: str | None) -> str:
    choices = {
        "home": {"P1": 1},
        "foster": {"U1": 6, "U2": 3, "U3": 4, "U4": 25, "U5": 8, "U6": 10},
        "residential": {"K2": 1} if age >= 11 else {"U4": 1},
        "adoption": {"A3": 2, "A4": 1, "A5": 6, "A6": 2},
        "secure": {"K1": 1},
    }[kind]
    options = {code: w for code, w in choices.items() if code != avoid} or choices
    return rng.choices(list(options), list(options.values()))[0]


def _entry(rng: random.Random, age: int) -> tuple[str, str]:
    """A new period of care's legal status and kind of placement."""
    routes = {("V2", "foster"): 46, ("V2", "residential"): 6 * (age >= 11), ("V2", "home"): 3, ("L2", "foster"): 6,
              ("L1", "foster"): 3, ("C1", "foster"): 20, ("C1", "home"): 7, ("J2", "secure"): 5 * (age >= 12)}
    return rng.choices(list(routes), list(routes.values()))[0]


def _placed(rng: random.Random, child: Child, place: str) -> Placement:
    if place == "P1":
        return Placement("PR0", child.home_post, "XXXXXXX")   # parents: the only placements PR0 provides
    postcode = rng.choice(AREA_SECTORS * 3 + FURTHER_SECTORS)
    if place in ("K1", "K2"):   # a children's home has an Ofsted number; other placements have none
        return Placement("PR1" if rng.random() < 0.4 else "PR4", postcode, f"SC{rng.randint(380_000, 499_999)}")
    if place in ("U4", "U5", "U6"):
        return Placement("PR1" if rng.random() < 0.6 else "PR4", postcode, "XXXXXXX")
    return Placement("PR5" if place == "A6" else "PR1", postcode, "XXXXXXX")


def _home_like(place: str, ls: str) -> bool:
    """Whether an episode counts as 'at home' in the outcome tables: with parents, or placed for adoption."""
    return place == "P1" or (ls == "E1" and place.startswith("A"))


def _period(rng: random.Random, child: Child, start: date) -> date | None:
    """One period of care from `start` (RNE S); the day it ended, or None if it outlasts the extract."""
    age = child.age(start)
    ls, kind = _entry(rng, age)
    place = _placement(rng, kind, age, None)
    episode = Episode(start, "S", ls, place, rng.choices(list(CATEGORIES_OF_NEED), list(CATEGORIES_OF_NEED.values()))[0],
                      _placed(rng, child, place))
    while True:
        child.episodes.append(episode)
        home_like = _home_like(episode.place, episode.ls)
        ends = episode.decom + timedelta(days=_days(rng, episode.ls, home_like))
        if ends >= (eighteenth := child.eighteenth()) and eighteenth <= EXTRACT_TO:
            episode.dec, episode.rec = eighteenth, "E17"   # care ends on the 18th birthday
            return eighteenth
        if ends > EXTRACT_TO:
            return None   # still open when the extract was taken
        outcomes = _outcomes(episode.ls, home_like, child.age(ends))
        outcome = rng.choices(list(outcomes), list(outcomes.values()))[0]
        episode.dec = ends
        if isinstance(outcome, str):
            episode.rec = outcome
            return ends
        episode.rec = "X1"
        rne, ls, kind = outcome
        if kind == "same":
            episode = Episode(ends, rne, ls, episode.place, episode.cin, episode.where)
        else:
            place = _placement(rng, kind, child.age(ends), episode.place)
            episode = Episode(ends, rne, ls, place, episode.cin, _placed(rng, child, place))


def _simulate(rng: random.Random, ref: str, first_entry: date) -> Child:
    age_at_entry = rng.choices((0, 1, 5, 10, 16), (20, 16, 20, 34, 10))[0]
    span = {0: 364, 1: 4 * 365, 5: 5 * 365, 10: 6 * 365, 16: 600}[age_at_entry]
    born = first_entry - timedelta(days=age_at_entry * 365 + rng.randint(1, span))
    child = Child(ref, rng.choices((1, 2), (54, 46))[0], born,
                  rng.choices(list(ETHNIC), list(ETHNIC.values()))[0], rng.choice(AREA_SECTORS))
    start: date | None = first_entry
    while start is not None and start <= EXTRACT_TO and start < child.eighteenth():
        ended = _period(rng, child, start)
        came_back = ended is not None and child.episodes[-1].rec in S20_ENDED and rng.random() < 0.2
        start = ended + timedelta(days=rng.randint(45, 900)) if came_back and ended is not None else None
    return child


def children(la: DemoLa) -> list[Child]:
    """The children of the extract: in care at some point from EXTRACT_FROM, in CHILD order."""
    rng = random.Random(f"ssda903-{la.code}")
    refs = iter(rng.sample(range(100_000, 1_000_000), 20_000))
    simulated = []
    day = SIMULATED_FROM
    while (day := day + timedelta(days=1 + int(rng.expovariate(ENTRIES_A_YEAR / 365)))) <= EXTRACT_TO:
        simulated.append(_simulate(rng, f"{next(refs)}", day))
    kept = [c for c in simulated if c.episodes and (c.episodes[-1].dec is None or c.episodes[-1].dec >= EXTRACT_FROM)]
    return sorted(kept, key=lambda c: c.ref)


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _upn(rng: random.Random, la: DemoLa, child: Child) -> str:
    """A well-formed but invented unique pupil number: check letter, LA, school, year and serial."""
    if child.age(child.episodes[-1].dec or EXTRACT_TO) < 5:
        return ""   # never of school age while in care
    digits = f"{la.code}{rng.randint(2000, 4999)}{(child.dob.year + 5) % 100:02d}{rng.randint(0, 999):03d}"
    check = sum(int(d) * weight for d, weight in zip(digits, range(2, 14), strict=True)) % 23
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[check] + digits


def _header_row(rng: random.Random, la: DemoLa, child: Child) -> list[str]:
    mother, mc_dob = "", ""
    left = child.episodes[-1].dec or EXTRACT_TO
    if child.sex == 2 and child.age(left) >= 12:
        mother = "0"
        sixteenth = child.eighteenth() - timedelta(days=730)
        if sixteenth < left and rng.random() < 0.08:
            mother, mc_dob = "1", _uk(sixteenth + timedelta(days=rng.randint(0, (left - sixteenth).days)))
    return [child.ref, str(child.sex), _uk(child.dob), child.ethnic, _upn(rng, la, child), mother, mc_dob]


def _episode_rows(rng: random.Random, child: Child) -> list[list[str]]:
    rows = []
    for episode, after in zip(child.episodes, child.episodes[1:] + [None], strict=True):
        # The reason a placement changed is given on the episode the move ended.
        moved = episode.rec == "X1" and after is not None and after.rne in ("P", "B", "T", "U")
        rows.append([child.ref, _uk(episode.decom), episode.rne, episode.ls, episode.cin, episode.place,
                     episode.where.provider, _uk(episode.dec), episode.rec or "",
                     rng.choices(list(PLACEMENT_CHANGES), list(PLACEMENT_CHANGES.values()))[0] if moved else "",
                     child.home_post, episode.where.postcode, episode.where.urn])
    return rows


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")   # as Excel saves a CSV
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def extract(la: DemoLa) -> tuple[bytes, bytes]:
    """The LA's 903 header and episodes files, covering collection years 2017 to 2021 completely."""
    rng = random.Random(f"ssda903-files-{la.code}")
    kids = children(la)
    header = [_header_row(rng, la, child) for child in kids]
    episodes = [row for child in kids for row in _episode_rows(rng, child)]
    return _csv(HEADER_COLUMNS, header), _csv(EPISODE_COLUMNS, episodes)


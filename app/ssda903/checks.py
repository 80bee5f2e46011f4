"""The checks across a child's episodes, made once every row has been read on its own."""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from app.ssda903 import messages as say
from app.ssda903.codes import NEXT_EPISODE_SAME_DAY

if TYPE_CHECKING:
    from app.ssda903.extract import Child, Episode

Report = Callable[[str, int | None, str | None, str], None]   # file, row, column, message


def _in_order(episode: "Episode") -> tuple[date, bool, date]:
    # An episode that ends the day it starts comes before one starting that day: it ended first.
    return episode.decom, episode.dec is None, episode.dec or episode.decom


def by_child(episodes: Iterable["Episode"]) -> dict[str, list["Episode"]]:
    """Each child's episodes in the order they ran."""
    grouped: dict[str, list[Episode]] = {}
    for episode in episodes:
        grouped.setdefault(episode.child, []).append(episode)
    for runs in grouped.values():
        runs.sort(key=_in_order)
    return grouped


def check_episodes(episodes: list["Episode"], children: dict[str, "Child"], rows_of: dict[str, int],
                   report: Report) -> None:
    for child, runs in by_child(episodes).items():
        first = runs[0]
        known = children.get(child)
        if known is not None and known.dob > first.decom:
            report("header", rows_of[child], "DOB", say.born_after_first_episode(known.dob, first.decom, first.row))
        _check_overlaps(child, runs, report)
        _check_next_after_x1(child, runs, report)


def _check_overlaps(child: str, runs: list["Episode"], report: Report) -> None:
    reach: Episode | None = None   # of the episodes so far, the one that ends last
    for episode in runs:
        if reach is not None and (reach.dec is None or episode.decom < reach.dec):
            if reach.dec is None and episode.dec is None:
                report("episodes", episode.row, "DEC", say.second_open(child, reach.row, reach.decom))
            else:
                report("episodes", episode.row, "DECOM",
                       say.overlaps(child, episode.decom, reach.row, reach.decom, reach.dec))
        if reach is None or (reach.dec is not None and (episode.dec is None or episode.dec > reach.dec)):
            reach = episode


def _check_next_after_x1(child: str, runs: list["Episode"], report: Report) -> None:
    starts: Counter[date] | None = None
    for episode in runs:
        if episode.rec != NEXT_EPISODE_SAME_DAY or episode.dec is None:
            continue
        starts = starts or Counter(e.decom for e in runs)
        # An episode that ends the day it starts is not its own next episode.
        if starts[episode.dec] < 1 + (episode.decom == episode.dec):
            report("episodes", episode.row, "REC", say.no_episode_after_x1(child, episode.dec))

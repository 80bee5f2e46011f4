"""The application's lifespan, served as a server serves it."""

import gc
import sys

import pytest

from app.main import SWITCH_INTERVAL_SECONDS
from tests.conftest import serving


def test_an_app_served_freezes_its_objects_and_lets_them_go_when_it_stops(app):
    frozen = []
    with serving(app):
        frozen.append(gc.get_freeze_count())
    assert frozen[0] > 0, "the app's objects were not frozen while it served"
    assert gc.get_freeze_count() == 0, "an app stopped stays frozen: a process serving apps again keeps them all"


def test_an_app_served_lets_a_waiting_thread_have_the_gil_sooner_and_puts_the_interval_back_when_it_stops(app):
    before = sys.getswitchinterval()
    during = []
    with serving(app):
        during.append(sys.getswitchinterval())
    assert during == [SWITCH_INTERVAL_SECONDS] and before > SWITCH_INTERVAL_SECONDS
    assert sys.getswitchinterval() == before, "a process serving apps again would keep the shorter interval"


async def test_an_app_whose_serving_fails_still_lets_its_objects_go_and_puts_the_interval_back(app):
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError):
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 0
            raise RuntimeError("the server failed while it served")
    assert app.state.publications.asked_to_stop(), "an app whose serving failed keeps publishing"
    assert gc.get_freeze_count() == 0, "an app whose serving failed stays frozen"
    assert sys.getswitchinterval() == before, "an app whose serving failed keeps the shorter interval"

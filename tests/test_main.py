"""The application's lifespan, served as a server serves it."""

import gc

from tests.conftest import serving


def test_an_app_served_freezes_its_objects_and_lets_them_go_when_it_stops(app):
    frozen = []
    with serving(app):
        frozen.append(gc.get_freeze_count())
    assert frozen[0] > 0, "the app's objects were not frozen while it served"
    assert gc.get_freeze_count() == 0, "an app stopped stays frozen: a process serving apps again keeps them all"

"""The schema the migrations build is exactly the one the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.core.migrations import current_revision, head_revision
from app.models import metadata
from app.reference.models import LocalAuthority


def test_upgrade_head_matches_the_models(app):
    with app.state.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_database_is_at_head(app, settings):
    assert current_revision(app.state.engine) == head_revision(settings.database_url) is not None


def test_reference_data_is_loaded_by_migrate(db):
    las = db.scalars(select(LocalAuthority)).all()
    assert len([la for la in las if la.operational_to is None]) == 153
    barnsley = db.get(LocalAuthority, "370")
    assert (barnsley.ons_code, barnsley.operational_to) == ("E08000038", None)

import pytest
from pydantic import ValidationError

from app.core.settings import Settings


def test_defaults_run_on_embedded_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///./datapack.db" and settings.rate_limit_per_minute == 600


def test_plain_postgresql_url_is_run_on_psycopg():
    assert Settings(database_url="postgresql://u:p@h/db").database_url == "postgresql+psycopg://u:p@h/db"


@pytest.mark.parametrize("field, value", [
    ("database_url", "mysql://u@h/db"), ("rate_limit_per_minute", -1), ("suppression_threshold", 0),
    ("environment", "staging"),
])
def test_bad_values_fail_at_start(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})


def test_bad_environment_variable_stops_the_cli(monkeypatch):
    from click.testing import CliRunner

    from app.cli import main
    from app.core.settings import get_settings

    get_settings.cache_clear()
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "lots")
    try:
        result = CliRunner().invoke(main, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0 and "RATE_LIMIT_PER_MINUTE" in result.output

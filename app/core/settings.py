"""Runtime settings, read from the environment and validated once at start-up."""

from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_DATABASE_PREFIXES = ("sqlite:///", "postgresql+psycopg://")
# Good enough on a laptop; refused in production, where SECRET_KEY must be the operator's own.
DEVELOPMENT_SECRET = "development-only-secret-not-for-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./datapack.db"
    environment: Literal["development", "test", "production"] = "development"
    rate_limit_per_minute: int = Field(default=600, ge=0)
    suppression_threshold: int = Field(default=5, ge=1, le=100)
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    max_submission_rows: int = Field(default=1_000_000, ge=1, description="Rows read in one submission, blank "
                                                                        "ones too, before it is refused (413).")
    max_xlsx_inflated_bytes: int = Field(default=512 * 1024 * 1024, ge=1024 * 1024,
                                         description="What a workbook may inflate to, whatever its upload "
                                                     "(and never past 100 times the upload).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    sqlite_busy_timeout_seconds: float = Field(default=30, gt=0, le=600,
                                               description="How long a SQLite write waits for another to finish.")
    secret_key: SecretStr = Field(default=SecretStr(DEVELOPMENT_SECRET),
                                  description="Keys are stored as HMAC-SHA256 under this secret.")
    cors_origins: list[str] = Field(default_factory=list, description="Browser origins allowed to call the API; "
                                                                      "none by default.")
    retention_years: int = Field(default=7, ge=1, le=100, description="Child-level records whose case closed this "
                                                                     "many years ago are deleted by `datapack retention`.")
    submissions_at_once: int = Field(
        default=4, ge=1, le=256, description="Submissions (bulk and SSDA903) handled at once by each worker; "
        "more wait their turn, holding no thread or database connection.")
    publish_on_start: bool = Field(
        default=True, description="Whether a starting process publishes the tables behind portals' default packs, "
        "and those packs, before `/readyz` answers 200, so that no first default read waits for them.")
    pack_fresh_wait_seconds: float = Field(
        default=0.2, ge=0, le=600, description="How long a read of a pack with small numbers suppressed waits for "
        "the pack of the returns as they now stand before it is answered with the previous publication "
        "(`Pack-Freshness: previous`); 0 answers at once whenever there is one.")
    pack_first_wait_seconds: float = Field(
        default=120, gt=0, le=3600, description="How long a read of a pack never published for the returns as they "
        "now stand (and with no earlier publication to answer with) waits for its build before it is answered 503 "
        "with Retry-After. Raise it on a slow machine, where deciding a new data state's tables can take longer.")

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        # Accept the bare scheme people copy from PostgreSQL docs, but always run on psycopg 3.
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        if not value.startswith(SUPPORTED_DATABASE_PREFIXES):
            raise ValueError(
                "DATABASE_URL must start with sqlite:/// or postgresql+psycopg:// "
                f"(got {value.split(':', 1)[0]!r})"
            )
        return value


    @model_validator(mode="after")
    def _production_has_its_own_secret(self) -> Self:
        secret = self.secret_key.get_secret_value()
        if self.environment == "production" and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ValueError("SECRET_KEY must be set to at least 32 random characters when ENVIRONMENT=production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

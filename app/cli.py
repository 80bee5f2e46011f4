"""The `datapack` command."""

import logging
import sys

import click
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access.roles import Disclosure, Role
from app.core.settings import Settings, get_settings


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise click.ClickException(f"invalid settings: {problems}") from None


def _migrated_session() -> Session:
    from app.core.db import make_engine
    from app.migrate import upgrade_to_head

    settings = _settings()
    upgrade_to_head(settings.database_url)
    return Session(make_engine(settings.database_url))


@click.group()
def main() -> None:
    """Regional Data Pack API: run the service and manage its database and clients.

    The database is chosen by DATABASE_URL (default sqlite:///./datapack.db).
    """
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)


@main.command()
def migrate() -> None:
    """Bring the database to the latest migration and load the shipped reference data."""
    from app.migrate import upgrade_to_head

    upgrade_to_head(_settings().database_url)
    click.echo("database is at the latest migration", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Migrate, then serve the API."""
    import uvicorn

    from app.migrate import upgrade_to_head

    upgrade_to_head(_settings().database_url)
    # The app logs every request itself (JSON, with its request id and client): uvicorn's own
    # access line would be a second, unstructured one.
    uvicorn.run("app.main:app", host=host, port=port, workers=workers, proxy_headers=False, access_log=False)


@main.command()
def demo() -> None:
    """Load a deterministic North West demonstration data set and print an admin key for it."""
    from app.demo.service import load_demo

    with _migrated_session() as session, session.begin():
        totals, key = load_demo(session, _settings().secret_key.get_secret_value())
    for name, count in totals.items():
        click.echo(f"{name}: {count}", err=True)
    click.echo("admin key for the demo (shown once; `datapack demo` again issues a new one):", err=True)
    click.echo(key)


@main.command("demo-ssda903")
@click.option("--output-dir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write header.csv and episodes.csv into.")
def demo_ssda903(output_dir: str) -> None:
    """Write the demo's SSDA903 extract (Wigan, 359, collection years 2017 to 2021) as an LA would send it."""
    from pathlib import Path

    from app.demo import ssda903 as demo_903
    from app.demo.generator import DemoLa
    from app.reference.models import LocalAuthority

    with _migrated_session() as session:
        la = session.get(LocalAuthority, demo_903.SSDA903_LA)
        assert la is not None, "the shipped reference data has every LA"
        header, episodes = demo_903.extract(DemoLa(la.code, la.operational_from, la.operational_to))
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("header.csv", header), ("episodes.csv", episodes)):
        (folder / name).write_bytes(content)
        rows = len(content.splitlines()) - 1   # the header line is not a row
        click.echo(f"{folder / name}: {rows:,} rows")


@main.command()
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
def openapi(output: str | None) -> None:
    """Print the OpenAPI document the app serves (the checked-in openapi/openapi.json)."""
    from app.main import openapi_document

    text = openapi_document()
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)


@main.command()
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def retention(dry_run: bool) -> None:
    """Delete child-level records past RETENTION_YEARS (every version), logging each deletion."""
    from datetime import date

    from app.retention.service import cutoff_for, run_retention

    settings = _settings()
    with _migrated_session() as session, session.begin():
        counts = run_retention(session, years=settings.retention_years, today=date.today(),
                               secret=settings.secret_key.get_secret_value(), dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"retention: {settings.retention_years} years (cases closed and audits dated before "
               f"{cutoff_for(date.today(), settings.retention_years)})", err=True)
    for (la, dataset), n in sorted(counts.items()):
        click.echo(f"{verb} {n} {dataset} of LA {la}")
    click.echo(f"{verb} {sum(counts.values())} records in all", err=True)


FILE_OPTION = click.Path(exists=True, dir_okay=False)


@main.command()
@click.option("--url", required=True, help="The service, e.g. https://datapack.example.org")
@click.option("--key-file", required=True, type=FILE_OPTION,
              help="A file holding the API key (kept off the command line, where other users could see it).")
@click.option("--la", "la_code", required=True, help="DfE code of the LA the file is for.")
@click.option("--dataset", required=True, type=click.Choice(["care-order-counts", "care-order-characteristics",
                                                           "orders", "audits", "audit-programme", "ssda903"]),
              help="ssda903: the LA's SSDA903 extract, sent as --header and --episodes for --years, in place of FILE.")
@click.option("--years", help="ssda903: the collection years the extract covers completely, FROM:TO (e.g. 2017:2021).")
@click.option("--header", "header_file", type=FILE_OPTION, help="ssda903: the 903 header file (CSV).")
@click.option("--episodes", "episodes_file", type=FILE_OPTION, help="ssda903: the 903 episodes file (CSV).")
@click.option("--dry-run", is_flag=True, help="Check the files and report what would be stored; store nothing.")
@click.option("--attempts", default=5, show_default=True, type=click.IntRange(1, 20),
              help="Tries while the service is busy or unreachable; a retry never stores the files twice.")
@click.argument("file", required=False, type=FILE_OPTION)
def submit(url: str, key_file: str, la_code: str, dataset: str, years: str | None, header_file: str | None,
           episodes_file: str | None, dry_run: bool, attempts: int, file: str | None) -> None:
    """Send a CSV, XLSX or JSON FILE of one dataset for an LA, or its SSDA903 extract (--dataset ssda903
    --years FROM:TO --header F --episodes F), as a scheduled job would.

    Prints what was stored, or every fault by row and column (and file, for an extract); exits 0 when the files
    were stored (or, with --dry-run, would be), 1 when the service refused them, 2 when it could not be reached
    or failed.
    """
    from pathlib import Path

    from app.submissions.remote import Ssda903Submission, Submission, SubmitFailed, extract_outcome, outcome, send

    key = Path(key_file).read_text().strip()
    _check_submit_form(dataset, file, {"--years": years, "--header": header_file, "--episodes": episodes_file})
    submission: Submission | Ssda903Submission
    if dataset == "ssda903":
        submission = Ssda903Submission(url, key, la_code, str(years), Path(str(header_file)),
                                       Path(str(episodes_file)), dry_run)
    else:
        submission = Submission(url, key, la_code, dataset, Path(str(file)), dry_run)
    try:
        answer = send(submission, attempts=attempts)
    except SubmitFailed as failure:
        click.echo(str(failure), err=True)
        sys.exit(failure.exit_code)
    click.echo((extract_outcome if dataset == "ssda903" else outcome)(answer))


def _check_submit_form(dataset: str, file: str | None, extract: dict[str, str | None]) -> None:
    """One file for a dataset, the two named files and their years for an extract: never a mix of both."""
    if dataset == "ssda903":
        missing = [option for option, value in extract.items() if value is None]
        if missing:
            raise click.UsageError(f"--dataset ssda903 needs {', '.join(missing)}")
        if file is not None:
            raise click.UsageError("--dataset ssda903 sends --header and --episodes: name no FILE")
        return
    if any(value is not None for value in extract.values()):
        raise click.UsageError(f"{', '.join(extract)} go with --dataset ssda903 only")
    if file is None:
        raise click.UsageError("Missing argument 'FILE'.")


@main.group()
def clients() -> None:
    """Create, list and revoke API clients."""


@clients.command("create")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--la", "la_code", help="DfE code of the LA (role la).")
@click.option("--area", "area_code", help="Area code (role portal).")
@click.option("--name", required=True)
@click.option("--disclosure", type=click.Choice([level.value for level in Disclosure]),
              help="full: every figure in packs, each pack read logged (a board under a data-sharing agreement); "
                   "default: full for admin, suppressed otherwise.")
def create_client(role: str, la_code: str | None, area_code: str | None, name: str, disclosure: str | None) -> None:
    """Create a client; its key is printed alone on the last line and never shown again."""
    from app.clients.schemas import ClientCreate
    from app.clients.service import create_client as create
    from app.core.errors import ApiError

    try:
        request = ClientCreate(name=name, role=Role(role), la=la_code, area=area_code, disclosure=disclosure)
    except ValidationError as exc:
        raise click.ClickException("; ".join(e["msg"] for e in exc.errors())) from None
    try:
        with _migrated_session() as session, session.begin():
            client, key = create(session, request, _settings().secret_key.get_secret_value())
            click.echo(f"created client {client.id} ({client.name}, role {client.role}, "
                       f"disclosure {client.disclosure})", err=True)
    except ApiError as exc:
        raise click.ClickException("; ".join(e.message for e in exc.errors) if exc.errors else exc.detail) from None
    click.echo(key)


@clients.command("list")
def list_clients() -> None:
    """List clients: their scope, disclosure level and the first characters of their key (never the key)."""
    from app.clients.models import ApiClient

    with _migrated_session() as session:
        click.echo("id\trole\tscope\tdisclosure\tkey begins\tstate\tname")
        for c in session.scalars(select(ApiClient).order_by(ApiClient.id)):
            scope = c.la_code or c.area_code or "-"
            state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
            click.echo(f"{c.id}\t{c.role}\t{scope}\t{c.disclosure}\t{c.key_prefix}…\t{state}\t{c.name}")


@clients.command("revoke")
@click.argument("client_id", type=int)
def revoke(client_id: int) -> None:
    """Revoke a client's key at once."""
    from app.clients.service import revoke_client
    from app.core.errors import ApiError

    try:
        with _migrated_session() as session, session.begin():
            revoke_client(session, client_id)
    except ApiError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"client {client_id} revoked", err=True)


if __name__ == "__main__":
    main()

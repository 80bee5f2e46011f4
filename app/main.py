"""The ASGI application: `app.main:app`."""

import gc
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import swagger_ui_bundle
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.access_log.router import router as access_log_router
from app.audit_programme.router import router as audit_programme_router
from app.audits.router import router as audits_router
from app.care_order_characteristics.router import router as care_order_characteristics_router
from app.care_order_counts.router import router as care_order_counts_router
from app.clients.router import router as clients_router
from app.core.connections import open_connections
from app.core.errors import COMMON_PROBLEMS, FieldError, Problem, install_error_handlers, problem_doc
from app.core.limits import BodyLimitMiddleware, SubmissionGate
from app.core.logs import configure_logging
from app.core.middleware import HeadAsGet, RequestContextMiddleware
from app.core.migrations import head_revision
from app.core.query import reject_unknown_query
from app.core.ratelimit import RateLimiter
from app.core.settings import Settings, get_settings
from app.core.shutdown import on_stop_signals
from app.datasets.router import router as datasets_router
from app.health.router import router as health_router
from app.orders.router import router as orders_router
from app.packs.cache import Store
from app.packs.conditional import NotModifiedShortcut
from app.packs.publication import Publications
from app.packs.registry import PACKS
from app.packs.router import pack_route_name, pack_router
from app.packs.states import areas_state
from app.packs.warm import publish_defaults
from app.population.router import router as population_router
from app.population.service import SPEC as POPULATION
from app.reference.router import router as reference_router
from app.ssda903.router import router as ssda903_router
from app.submissions.router import router as submissions_router
from app.submissions.schemas import JsonSubmission
from app.submissions.service import DATASETS

RECORD_SPECS = (*DATASETS.values(), POPULATION)

# How long a thread may hold the GIL while another waits for it (`create_app`'s lifespan; Python's default: 5 ms).
SWITCH_INTERVAL_SECONDS = 0.001

API_VERSION = "1.0.0"
DESCRIPTION = """\
Local authorities return their figures on children on care orders at home, child-level order
outcomes and case-file audit results; Family Justice Boards read regional comparison packs.

Authenticate with `Authorization: Bearer <api key>`. Every error is `application/problem+json`
(RFC 9457); validation errors list every problem found in `errors`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    connections = open_connections(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The app's own objects (models, schemas, routes) live as long as the process; left in the
        # collected generations, every full collection walks them all, and building one pack
        # triggers several (measured: a pack's 1,344 sources took 12.7 ms to build, 3.3 ms frozen).
        # Collected first, so that what is garbage now is freed rather than frozen with them.
        gc.collect()
        gc.freeze()
        switch_interval = sys.getswitchinterval()
        # The thread that publishes packs is Python, and holds the GIL while it decides a table; a request's thread
        # that gave it up for I/O waits up to the switch interval for it again, at every database call. At the
        # default 5 ms, the slowest of three published pack reads made while fifty keyed replays were answered took
        # 0.69–0.80 s on PostgreSQL (three runs, tests/submissions/test_idempotency_concurrency.py); at 1 ms, 0.35–0.46 s (six).
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        # Undone however serving ends: raised into (a test failing while it serves), the app was left frozen, its
        # publishing thread running and the interval short, in a process that goes on to serve other apps.
        try:
            if settings.publish_on_start:
                # The tables, then the packs. Again whenever an admin re-defines the areas: every table is decided
                # again then (a minute and a half of CPU on the demo data), and a worker with no pack to build takes a
                # share of them before a portal asks (a worker with packs to build decides their tables first).
                app.state.publications.start(partial(
                    publish_defaults, specs=list(PACKS.values()), threshold=settings.suppression_threshold,
                    path_of=lambda spec: app.url_path_for(pack_route_name(spec)), store=Store(connections.reads)),
                    again_when=areas_state)
            with on_stop_signals(app.state.publications.stop):
                yield
        finally:
            app.state.publications.close()
            connections.dispose()
            # Frozen objects are never collected: a process that serves an app again (the tests serve hundreds)
            # kept every earlier app, some 2 MB each, and whatever other garbage was frozen with it.
            gc.unfreeze()
            sys.setswitchinterval(switch_interval)

    # No trailing-slash redirects: a redirect's absolute URL could only be built from the request's own
    # Host header (an attacker's to choose), a 307 makes a client send a whole upload twice, and every
    # path is spelled one way in the OpenAPI document. A path with a trailing slash is a plain 404.
    app = FastAPI(title="Regional Data Pack API", version=API_VERSION, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan, redirect_slashes=False)
    app.state.settings = settings
    app.state.engine = connections.engine
    app.state.sessionmaker = connections.sessions
    app.state.claims_sessionmaker = connections.claims
    app.state.reads_sessionmaker = connections.reads
    app.state.snapshots_sessionmaker = connections.snapshots
    app.state.publications = Publications(connections.snapshots, settings.pack_first_wait_seconds)
    app.state.rate_limiter = RateLimiter(connections.counter, settings.rate_limit_per_minute)
    app.state.migration_head = head_revision(settings.database_url)

    install_error_handlers(app)
    app.add_middleware(NotModifiedShortcut)
    app.add_middleware(BodyLimitMiddleware, upload_limit=settings.max_upload_bytes)
    app.add_middleware(SubmissionGate, at_once=settings.submissions_at_once)
    if settings.cors_origins:
        # Closed unless configured: only the listed portals' origins may call the API from a browser.
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "PUT", "POST"],
                           allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match",
                                          "Idempotency-Key", "X-Request-ID"],
                           expose_headers=["ETag", "X-Request-ID", "Pack-Freshness"])
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestContextMiddleware)

    api = APIRouter(prefix="/api/v1", responses=COMMON_PROBLEMS, dependencies=[Depends(reject_unknown_query)])
    for router in (reference_router, care_order_counts_router, care_order_characteristics_router, orders_router,
                   audits_router, audit_programme_router, population_router, submissions_router, ssda903_router,
                   datasets_router,
                   pack_router(PACKS.values()), clients_router, access_log_router):
        api.include_router(router)
    app.include_router(api)
    app.include_router(health_router, responses={500: problem_doc("Unexpected error.")})
    _mount_offline_docs(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _mount_offline_docs(app: FastAPI) -> None:
    # Swagger UI's assets come from a Python package, so /docs works with no internet access.
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Regional Data Pack API – docs",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js", swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problem, FieldError, JsonSubmission, *(spec.create_schema for spec in RECORD_SPECS)):
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        _plain_header_parameters(schema)
        app.openapi_schema = schema
    return app.openapi_schema


def _plain_header_parameters(schema: dict[str, Any]) -> None:
    """An optional header is left out, it cannot be null: `anyOf [string, null]` makes generated clients take
    None and put it in the request (httpx raises TypeError on `if_match=None`), so the null is dropped."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                options = parameter["schema"].pop("anyOf", None) if parameter["in"] == "header" else None
                if options:
                    parameter["schema"].update(*(o for o in options if o.get("type") != "null"))


def openapi_document() -> str:
    """The OpenAPI document as checked in: stable key order, two-space indent, final newline."""
    return json.dumps(create_app(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


app = create_app()

"""List envelopes: every list is {items, total, limit, offset}."""

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_LIMIT = 1000


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (at most 1000).")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [], "total": 0, "limit": 100, "offset": 0}]}
    )

    items: list[T]
    total: int
    limit: int
    offset: int


def count_rows(session: Session, statement: Select) -> int:
    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


def fetch_page(session: Session, statement: Select, page: PageParams) -> tuple[list, int]:
    """Rows of one page and the total, for statements that select ORM entities or rows."""
    total = count_rows(session, statement)
    rows = list(session.execute(statement.limit(page.limit).offset(page.offset)).all())
    return rows, total

"""Unknown query parameters are refused, as unknown body fields are: a typo must not pass silently."""

from fastapi import Request
from fastapi.dependencies.models import Dependant

from app.core.errors import FieldError, validation_failed

_allowed: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown_query(request: Request) -> None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    # A route that answers a typo in the path (the 404 of a mistyped pack name) says so whatever the query.
    if dependant is None or getattr(getattr(route, "endpoint", None), "takes_any_query", False):
        return
    allowed = _allowed.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_names(dependant))
        _allowed[id(route)] = allowed
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise validation_failed([FieldError(loc=["query", name], row=None, field=name,
                                            message=f"unknown query parameter; this operation takes: "
                                                    f"{', '.join(sorted(allowed)) or 'none'}") for name in unknown])

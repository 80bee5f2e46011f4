"""Case-file audits: grades after moderation, per domain and month, return rates, moderation, LA–Cafcass agreement."""

from dataclasses import replace
from functools import partial

from app.packs.audits import benchmark, figures, sections
from app.packs.audits.queries import frameworks_state
from app.packs.audits.schemas import AuditsPack
from app.packs.audits.tidy import TABLE_TITLES, tidy_rows
from app.packs.spec import PackSpec

SPEC = PackSpec(
    name="audits", title="Case-file audits", operation_id="getAuditsPack",
    summary="Case-file audits: grades after moderation, per domain and month, return rates, moderation, "
            "LA–Cafcass agreement; outcome and moderated grades, Cafcass's grades, audits by type, theme and "
            "auditor's role, agreement per domain",
    period="financial_year", schema=AuditsPack, reads=("audits", "audit-programme"), covers=figures.whole_months,
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
    reference_state=frameworks_state, finish=benchmark.finish, tidy_rows=tidy_rows, table_titles=TABLE_TITLES,
    # Every LA of England is ranked, and its region, groups and England set beside it.
    reads_every_la=True,
)
# The same pack computed from the raw audits: the reference the tests and the benchmark hold the summaries to.
FROM_RAW_AUDITS = replace(SPEC, figures=partial(figures.figures, from_summaries=False))

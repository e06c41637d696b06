"""Downloads: approvals, suggestions, alerts and the master tables as CSV or Excel."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from aimee.api.deps import ComponentsDep, NowDep, SessionDep
from aimee.api.schemas import error_responses
from aimee.services import exports
from aimee.tabular import write_sheet
from aimee.tabular.write import MEDIA_TYPES

router = APIRouter(tags=["exports"])

ExportKind = Literal[
    "approvals",
    "outcomes",
    "suggestions",
    "alerts",
    "businesses",
    "operators",
    "capabilities",
    "assignments",
    "shifts",
    "snapshots",
    "knowledge",
]
SPOOL_BYTES = 8 * 1024 * 1024
"""Files up to this size are built in memory, larger ones in a temporary file."""


def _chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()


@router.get(
    "/exports/{kind}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        **error_responses(400, 422, 503),
    },
)
def export(
    kind: ExportKind,
    session: SessionDep,
    now: NowDep,
    components: ComponentsDep,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    start: Annotated[
        str | None, Query(alias="from", description="この日付・日時から（例: 2025-10-23）")
    ] = None,
    end: Annotated[
        str | None, Query(alias="to", description="この日付まで（その日を含む）・日時まで")
    ] = None,
) -> StreamingResponse:
    """The rows of ``kind`` as a CSV (UTF-8 with BOM, opens in Excel) or .xlsx file (at
    most 100,000 rows: 422 saying to narrow the dates or use CSV). A few exports are
    built at once per process; more wait briefly, then 503 with Retry-After."""
    table = exports.EXPORTS[kind]
    first = exports.parse_bound(start, end=False, name="from")
    last = exports.parse_bound(end, end=True, name="to")
    exports.check_size(session, kind, fmt, start=first, end=last)
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _chunks
    # a few files are built at once: the API stays responsive
    with components.exports_gate.slot("ファイルの書き出し"):
        rows = exports.export_rows(session, kind, start=first, end=last)
        write_sheet(handle, fmt, table.columns, rows, title=table.title)  # type: ignore[arg-type]
    handle.seek(0)
    name = f"aimee_{kind}_{now:%Y%m%d_%H%M}.{fmt}"
    return StreamingResponse(
        _chunks(handle),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )

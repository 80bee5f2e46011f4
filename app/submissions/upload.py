"""The uploaded file, spooled to disk as it streams in, so a large file never sits whole in memory."""

import hashlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Annotated

from fastapi import Depends, Request

# Small files stay in memory; past this a submission is written to a temporary file.
SPOOL_IN_MEMORY = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    file: IO[bytes]
    size: int
    sha256: str

    @property
    def checksum(self) -> str:
        return "sha256:" + self.sha256

    @classmethod
    def of_bytes(cls, body: bytes) -> "Upload":
        # The caller's file for its lifetime (closed when collected), as a request's upload is.
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        spool.write(body)
        spool.seek(0)
        return cls(spool, len(body), hashlib.sha256(body).hexdigest())


async def spooled_upload(request: Request) -> AsyncIterator[Upload]:
    # The size limit is enforced while the body streams in, by BodyLimitMiddleware (413 past it).
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        async for chunk in request.stream():
            digest.update(chunk)
            spool.write(chunk)
            size += len(chunk)
        spool.seek(0)
        yield Upload(spool, size, digest.hexdigest())


UploadDep = Annotated[Upload, Depends(spooled_upload)]

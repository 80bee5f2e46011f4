"""A JSON submission, {"records": [...]}, read a record at a time.

The body is decoded a chunk at a time and each record parsed alone, so memory holds one chunk and
the records of one batch however large the body; a document parsed whole would take some 25 times
its size (a 189 MB body of `{}` records took 4.8 GB).
"""

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from app.core.errors import ApiError, FieldError, validation_failed
from app.core.limits import MAX_JSON_DEPTH, MAX_ROW_BYTES, ReadLimits, too_deep, too_deep_detail
from app.submissions.rows import Row, too_many_rows

CHUNK = 64 * 1024
SPACE = re.compile(r"[ \t\n\r]*")
DECODER = json.JSONDecoder()
# A decode error this near the end of what has been read may only mean that the record goes on.
TRUNCATION_MARGIN = 16
VALUE_STARTS = set('[{"-0123456789tfnNI')


def not_json(reason: str) -> ApiError:
    return ApiError(400, f"The request body is not valid JSON ({reason}). Nothing was stored.")


def wrong_shape() -> ApiError:
    return validation_failed([FieldError(loc=["body"], row=None, field="records",
                                         message='expected an object {"records": [...]} and nothing else')])


def record_too_long(number: int) -> ApiError:
    return ApiError(413, f"Record {number} is longer than {MAX_ROW_BYTES:,} characters, the most one record may "
                         "take (as in a single record's PUT). Nothing was stored.")


class _Text:
    """The body as text with a cursor; what lies behind the cursor is let go as more is read."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text, self.pos, self.eof = "", 0, False
        self.before = 0     # characters let go, to say where in the body a fault is

    def more(self, at_least: int = CHUNK) -> bool:
        if self.eof:
            return False
        raw = self.file.read(max(at_least, CHUNK))
        try:
            piece = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise not_json("it is not UTF-8 text") from None
        self.before += self.pos
        self.text, self.pos, self.eof = self.text[self.pos:] + piece, 0, not raw
        return True

    def peek(self) -> str:
        """The next character after any white space, or "" at the end of the body."""
        while True:
            self.pos = SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def take(self, char: str) -> bool:
        if self.peek() != char:
            return False
        self.pos += 1
        return True

    def value(self, number: int) -> tuple[Any, int]:
        """The JSON value after the cursor and how many characters it took."""
        self.peek()
        while True:   # the cursor stays at the value's start (more() moves the text, and the cursor with it)
            try:
                value, end = DECODER.raw_decode(self.text, self.pos)
                if end < len(self.text) or self.eof:   # a number at the very end may go on
                    break
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.text) - TRUNCATION_MARGIN or exc.msg.startswith("Unterminated string")
                if self.eof or not near_end:
                    raise not_json(f"{exc.msg} at character {self.before + exc.pos + 1}") from None
            except RecursionError:
                raise ApiError(400, too_deep_detail()) from None
            if len(self.text) - self.pos > MAX_ROW_BYTES:
                raise record_too_long(number)
            # Reading as much again as is held: a long record is parsed a few times, not once a chunk.
            self.more(len(self.text) - self.pos)
        size, self.pos = end - self.pos, end
        if size > MAX_ROW_BYTES:
            raise record_too_long(number)
        return value, size


def _open_records(text: _Text) -> bool:
    """Move past `{"records": [`; False if the array is empty (and closed)."""
    first = text.peek()
    if first != "{":
        raise wrong_shape() if first in VALUE_STARTS else not_json("it does not start with '{'")
    text.pos += 1
    if text.peek() != '"' or text.value(0)[0] != "records":
        raise wrong_shape()
    if not text.take(":"):
        raise not_json("expected ':' after \"records\"")
    if not text.take("["):
        raise wrong_shape()
    return not text.take("]")


def _close_document(text: _Text) -> None:
    if text.peek() == ",":
        raise wrong_shape()
    if not text.take("}"):
        raise not_json('expected "}" after the records')
    if text.peek():
        raise not_json("there is more after the document")


def json_rows(file: IO[bytes], limits: ReadLimits) -> Iterator[Row]:
    text = _Text(file)
    number = 0
    more = _open_records(text)
    while more:
        number += 1
        if number > limits.max_rows:
            raise too_many_rows(limits.max_rows)
        record, size = text.value(number)
        # {"records": [...]} takes two levels of the depth allowed.
        if size > MAX_JSON_DEPTH - 2 and too_deep(text.text[text.pos - size:text.pos], MAX_JSON_DEPTH - 2):
            raise ApiError(400, too_deep_detail())
        yield Row(number, record, ("body", "records", number - 1), size=size)
        if text.take("]"):
            break
        if not text.take(","):
            raise not_json(f"expected ',' or ']' after record {number}")
    _close_document(text)

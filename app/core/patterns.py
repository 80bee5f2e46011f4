"""Patterns that input types and their messages share."""

# Free text may hold any printable character but no control characters (PostgreSQL refuses NUL).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"

"""Which character separates a "CSV" file's columns, as spreadsheets save them."""

SEPARATORS = (";", "\t")


def separator_of(header: str) -> str:
    """Excel saves "CSV" with ';' where the decimal mark is a comma, and some tools save tabs: a header with no
    comma but one of those is read with it, as the file was meant."""
    if "," in header:
        return ","
    return next((sep for sep in SEPARATORS if sep in header), ",")

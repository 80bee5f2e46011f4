"""SSDA903 extracts: an LA's header and episodes files read and checked (extract.py, checks.py), and the
care-order figures of collection years derived from them (derive.py). Pure: no database, no HTTP."""

"""Who may see what: roles, the reader of a response (scope and disclosure level), and the
dependencies routes use to load a client's LA or refuse it."""

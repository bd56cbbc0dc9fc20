"""How values read on a page: one formatter per kind of value (`formats`), registered
as Jinja filters by `register_filters`. Pure functions, usable from services too (a
refusal message that names a date uses the same format as the page)."""

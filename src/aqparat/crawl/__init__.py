"""The gov.kz collector: sources due → listing pages → pipeline → store, resumable per page.

`passes` decides how far to read (pure cursor logic), `pages` stores one page in one
transaction with its checkpoint (and replays archived ones), `run` walks sources with
breakers and records each result on the source's row, `progress` shows it.
"""

"""The full-text index behind `store/search.py`: one design, two engines.

Our own code turns text into terms (`text/stem.py`: the Kazakh suffix stripper, Snowball for
Russian and English), so neither engine tokenizes or stems anything: SQLite FTS5 gets the terms
space-separated under its `ascii` tokenizer, PostgreSQL gets a `tsvector` literal with
positions and weights. Both therefore hold the same terms at the same positions and answer the
same queries alike (research stack.md §2: pre-stemmed text gives identical hits on both).

    document.py   an item as the index holds it: per-field terms, filter tokens, the key
    query.py      the reader's query language, parsed, then compiled for each engine
    sqlite.py     FTS5: writes and the candidate query
    postgres.py   tsvector + GIN: writes and the candidate query
    index.py      keep the index in step with the store; rebuild it
"""

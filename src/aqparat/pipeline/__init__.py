"""What we decide about items: identity, language, rubrics (and later dedup, stories, events)."""

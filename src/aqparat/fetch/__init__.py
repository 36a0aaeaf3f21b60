"""HOW bytes arrive: polite HTTP and the crawl schedule. No parsing, no store."""

"""Pure functions on strings: no I/O, no settings, property-tested."""

"""What a reader may do with an item: one licence note per kind of source.

The portal republishes other bodies' texts; it grants no rights of its own over them, so the
note names who holds them and asks for the original to be cited. Exports and the JSON API carry
the note on every item so a corpus built from them keeps its provenance.

Why these words: Kazakhstan's copyright law (Law No. 6-I of 10 June 1996, art. 8) leaves
official documents of state bodies outside copyright, but a press release is not clearly such a
document: so the note claims nothing beyond "rights stay with the publisher, cite the source".
"""

from __future__ import annotations

NOTES = {
    "govkz": "Published by a state body of the Republic of Kazakhstan on gov.kz; rights stay "
             "with the publisher. Cite the source URL when reusing. Not covered by aqparat's "
             "software licence.",
    "dump": "Copied from a news portal's pages; rights stay with the original publisher. Cite "
            "the source URL (or the portal) when reusing. Not covered by aqparat's software "
            "licence.",
}
DEFAULT = ("Rights stay with the original publisher. Cite the source URL when reusing. Not "
           "covered by aqparat's software licence.")


def note(source_kind: str) -> str:
    return NOTES.get(source_kind, DEFAULT)

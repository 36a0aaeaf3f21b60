"""The web server's own process: granian and the settings, nothing else imported.

`aqparat serve` checks the store, writes every setting into the environment and then replaces
itself with `python -m aqparat.web.server` (cli.py, `os.execv`). The process that supervises
granian's workers lives as long as the site does; started from the command line it would keep
everything the command line imports — the crawler, the text pipeline, Alembic: 95 MB resident
against 27 MB this way (bench/scale.py counts the supervisor and its workers together).
"""

from __future__ import annotations

from granian import Granian
from granian.constants import Interfaces

from aqparat import config

# A worker still running this long after it was told to stop is killed. Its lifespan shutdown
# (the view counts written) comes first, so nothing is lost: a worker was seen to hang after
# that, in `threading._shutdown`, waiting for an idle AnyIO worker thread that was never told
# to stop (2 of 18 stops after seconds of uncached load, and in bench/web.py runs).
STOP_SECONDS = 20


def main() -> None:
    settings = config.load()  # the environment `aqparat serve` wrote, every setting in it
    Granian("aqparat.web.asgi:factory", factory=True, address=settings.host,
            port=settings.port, interface=Interfaces.ASGI, workers=settings.workers,
            log_access=False, workers_kill_timeout=STOP_SECONDS).serve()


if __name__ == "__main__":
    main()

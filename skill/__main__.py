"""``python -m skill`` and the ``cramp-coach`` command."""

from __future__ import annotations

import sys

from .cli import main as cli_main


def main() -> None:
    sys.exit(cli_main())


if __name__ == "__main__":
    main()

"""``python -m chegara``: the same as the ``chegara`` command."""

from chegara.cli import main

main()

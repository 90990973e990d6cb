"""``python -m locscan.cli``: the same commands as the ``locscan`` script."""

from locscan.cli import main

main()

"""Run the command line as `python -m reconcile`."""

from reconcile.cli.app import main

main()

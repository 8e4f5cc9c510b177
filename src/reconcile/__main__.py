"""Run the command line as `python -m reconcile`."""

from reconcile.cli.launch import main

main()

"""Run the command line as `python -m reconcile`."""

from reconcile.launch import main

main()

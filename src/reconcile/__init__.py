"""Reconcile conflicting casualty and troop-strength estimates, with citations."""

__version__ = "0.1.0"

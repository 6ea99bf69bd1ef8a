"""Helpers of the conformance suite (see conformance/README.md)."""

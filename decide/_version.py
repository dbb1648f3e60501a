"""The version of decide (one place: the package, the reports and the provenance read it)."""
__version__ = "0.1.0"

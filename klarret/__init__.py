"""KlarRet: guidance on administrative law for Copenhagen's staff, its search and its courses."""

__version__ = "0.1.0"

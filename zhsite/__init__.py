"""zhsite: archived Zhihu columns and ML study notes as a fast, offline static site."""

__version__ = "0.1.0"

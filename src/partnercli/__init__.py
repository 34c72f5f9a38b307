"""partnercli: the ICOM partner network at the command line."""

__version__ = "0.2.0"

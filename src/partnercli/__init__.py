"""partnercli: the ICOM partner network at the command line."""

__version__ = "0.3.1"

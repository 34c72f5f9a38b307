"""`python -m partnercli` runs the `partners` command."""

from partnercli.cli import main

main()

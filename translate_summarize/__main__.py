"""`python -m translate_summarize` runs the `brief` command."""

from .cli import main

main()

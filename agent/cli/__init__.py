"""The `csm` command line: thin typer commands over the core packages."""

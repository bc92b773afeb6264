"""The command line: thin adapters over the library functions."""

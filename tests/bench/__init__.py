"""Benchmarks (`make bench`); not collected by `make test`."""

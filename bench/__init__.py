"""Benchmarks: a synthetic raw zone generator, each pipeline stage timed, a report."""

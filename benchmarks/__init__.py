"""Benchmarks: ratios against baselines, run in one go (see README)."""

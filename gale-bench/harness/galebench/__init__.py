"""Gale's macro-benchmark harness: Gale and its peer servers, started one after another and driven
with the same wrk load, startup and idle-connection scenarios. Entry point: gale-bench/run."""

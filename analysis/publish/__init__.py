"""Publishing: force editions, the shared kernel, the briefing PDF, the site, the Sphinx extensions, the benchmark
and the command line."""

"""The benchmark of issue #6: ``python -m bench`` (``--quick`` for a one-minute run).

Measures deescalate-lint against baselines on the same text in the same run
(proselint, a tokenise-everything spaCy pipeline, one regex pass of every
trigger), start-up of the CLI, peak memory on a large JSONL, ``--jobs 2`` and
Spark local mode, and writes ``bench/out/report.md`` and ``report.json``.
Every figure is also given as a ratio to a baseline measured beside it,
because absolute timings on a shared machine are noisy.
"""

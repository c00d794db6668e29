"""Coverage-guided fuzzing (atheris / libFuzzer) of every reader and of the engine.

Run one target::

    python -m fuzz json --seconds 180
    python -m fuzz --list
    python -m fuzz all --seconds 600   # every target in turn

Each reader registered in ``deescalate_lint.readers`` is a target of its own
(new readers are picked up without editing this package), plus ``engine``,
which builds transcripts from the fuzzer's bytes and lints them. A crash is
any exception other than the ``InputError`` a reader hands back for bad input,
or a broken invariant (evidence that is not its turn's text slice). Corpus and
crash files go to a scratch folder outside the inputs (``--workdir``).
"""

"""`make bench` (`python -m bench`): understanding and speed of the assistant, measured
against the stock bot that `rasa init` creates, written to results/bench.json and
BENCHMARKS.md."""

from bench.stats import percentile, summary_ms


def test_nearest_rank_percentiles():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0


def test_summary_in_milliseconds():
    assert summary_ms([0.010, 0.020, 0.030, 0.040]) == {"p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 40.0, "messages": 4}

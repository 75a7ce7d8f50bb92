from bench.stats import percentile, summary_ms


def test_nearest_rank_percentiles():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0


def test_summary_in_milliseconds():
    assert summary_ms([0.010, 0.020, 0.030, 0.040]) == {"p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 40.0, "messages": 4}


def test_the_report_says_which_targets_are_missed_and_where_the_time_goes():
    from bench.__main__ import markdown, verdict

    level = {"p50_ms": 80.0, "p95_ms": 300.0, "p99_ms": 400.0, "messages_per_second": 20.0, "errors": 0}
    stock_level = {"p50_ms": 30.0, "p95_ms": 100.0, "p99_ms": 150.0, "messages_per_second": 40.0, "errors": 0}
    breakdown = {"nlu_parse": 12.0, "fixed_reply": 55.0, "reply_with_lookups": 86.0}
    report = {
        "date": "2026-11-24T09:00:00+00:00",
        "machine": {"cpus": 2, "platform": "Linux", "python": "3.10.13"},
        "speed": {
            "assistant": {"levels": {"50": level}, "breakdown_ms": breakdown, "peak_memory_mb": {"rasa": 1400},
                          "seconds_to_first_answer": 40.0},
            "stock": {"levels": {"50": stock_level}, "breakdown_ms": {**breakdown, "fixed_reply": 25.0},
                      "peak_memory_mb": {"rasa": 1100}, "seconds_to_first_answer": 27.0},
        },
        "speed_method": {"rounds": 2, "repeats": 3},
        "cost": {"model_mb": 70.0, "stock_model_mb": 24.0, "stock_training_seconds": 60.0},
        "domain": {"assistant": {"slots": 87, "forms": 13, "intents": 57, "rules": 328},
                   "stock": {"slots": 0, "forms": 0, "intents": 7, "rules": 2}},
        "lookups_p95_ms": {"region_profile": 1.2},
        "understanding": {"heldout_intent_accuracy": 0.9, "heldout_classifier_accuracy": 0.93,
                          "heldout_intent_macro_f1": 0.9, "heldout_messages": 700,
                          "heldout_errors": 70, "heldout_errors_to_fallback": 5,
                          "per_intent": {"greet": {"f1": 1.0, "support": 17, "confused_with": {}}}, "confusions": [],
                          "fresh_heldout": {"intent_accuracy": 0.97, "intent_macro_f1": 0.97, "messages": 1000,
                                            "errors": 30, "errors_to_fallback": 12},
                          "cross_validation": {"folds": 5, "intent_accuracy": 0.86, "intent_macro_f1": 0.85}},
    }  # fmt: skip
    report["verdict"] = verdict(report)
    assert report["verdict"]["p95_ratio"] == 3.0 and report["verdict"]["throughput_ratio"] == 0.5
    text = markdown(report)
    assert "p95 ratio 3.0 (target ≤ 1.5: missed)" in text and "throughput ratio 0.5 (target ≥ 0.8: missed)" in text
    assert "intent accuracy 0.9 (target 0.95: missed); the classifier alone 0.93" in text
    assert "on the held-out set: 65 of 700 (9.3 %; target under 2 %: missed)" in text
    assert "18 to a wrong intent (1.8 % of the messages; target under 2 %: met)" in text
    assert "5-fold cross-validation on the training data: intent accuracy 0.86 (target 0.85 with 5 folds: met)" in text
    report["understanding"]["cross_validation"] = {"folds": 3, "intent_accuracy": 0.9, "intent_macro_f1": 0.9}
    report["understanding"]["fresh_heldout"]["errors_to_fallback"] = 5
    text = markdown({**report, "verdict": verdict(report)})
    assert "target under 2 %: missed" in text and "(target 0.85 with 5 folds: missed)" in text
    assert "70 of 700 messages are misread, 35 too many; 5 of them went to the fallback" in text
    assert "NLU alone 12.0 (stock 12.0)" in text and "87 slots, 13 forms, 57 intents, 328 rules" in text
    assert "Each level ran 3 time(s) on each bot in turn" in text


def test_a_fallback_is_an_error_but_not_a_wrong_intent():
    from bench.intents import tally

    readings = [
        {"intent": "greet", "predicted": "greet"},
        {"intent": "greet", "predicted": "nlu_fallback"},  # the classifier was right but unsure
        {"intent": "deny", "predicted": "affirm"},
        {"intent": "affirm", "predicted": "affirm"},
    ]
    assert tally(readings) == {"messages": 4, "intent_accuracy": 0.5, "errors": 2, "errors_to_fallback": 1}
    assert tally([]) == {"messages": 0, "intent_accuracy": 0.0, "errors": 0, "errors_to_fallback": 0}


def test_repeated_runs_are_pooled_not_averaged():
    from bench.__main__ import pooled
    from bench.load import LoadResult

    quick = LoadResult(concurrency=2, latencies_s=[0.010] * 19 + [0.020], seconds=1.0, errors=0)
    slow = LoadResult(concurrency=2, latencies_s=[0.100] * 10, seconds=3.0, errors=1)
    figures = pooled([quick, slow])
    assert figures["messages"] == 30 and figures["errors"] == 1
    assert figures["messages_per_second"] == 7.5  # 30 messages in 4 s, not the mean of 20 and 3.3
    assert figures["p50_ms"] == 10.0 and figures["p95_ms"] == 100.0


def test_the_production_section_compares_the_modes_and_says_what_a_second_replica_buys():
    from bench.__main__ import production_markdown

    def figures(p95: float, rate: float, again: int = 0) -> dict:
        return {"p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2, "messages_per_second": rate, "errors": 0,
                "sent_again": again}  # fmt: skip

    cpu = {"actions1": 4.0, "actions2": 4.0, "rasa1": 20.0, "rasa2": 20.0, "front": 0.5}
    report = {
        "machine": {"cpus": 2},
        "speed": {"assistant": {"levels": {"50": figures(900, 30)}}, "stock": {"levels": {"50": figures(500, 45)}}},
        "production": {
            "speed": {
                "one_replica": {"levels": {"50": {**figures(1200, 25), "cpu_ms_per_message": cpu}}},
                "two_replicas": {"levels": {"50": {**figures(1000, 30, again=3), "cpu_ms_per_message": cpu}}},
            },
            "soak": {"concurrency": 30, "minutes": 10, "messages": 9000, "errors": 0,
                     "p95_by_minute": [{"minute": 1, "p95_ms": 700.0}, {"minute": 2, "p95_ms": 720.0}],
                     "memory_start_mb": {"rasa1": 1000.0}, "memory_end_mb": {"rasa1": 1040.0},
                     "memory_growth_percent": {"rasa1": 4.0}},
        },
    }  # fmt: skip
    text = "\n".join(production_markdown(report))
    assert "| 50 | 450.0 / 900, 30/s | 600.0 / 1200, 25/s | 500.0 / 1000, 30/s, 3 again | 250.0 / 500, 45/s |" in text
    assert "30 against 25 messages/s at 50 conversations (×1.20)" in text
    # 40 ms of Rasa CPU per message, whichever replica took it: 25 messages/s for a replica with a core.
    assert "Rasa 40.0 ms, action servers 8.0 ms" in text and "each replica would add about 25 messages/s" in text
    assert "about 0.20 of a core per replica" in text
    assert "9000 messages, 0 errors (target 0); p95 by minute (ms): [700.0, 720.0]" in text
    assert "{'rasa1': 4.0}" in text

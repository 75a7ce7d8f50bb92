"""`make bench`: understanding (held-out set, cross-validation), speed under concurrent
conversations against the stock `rasa init` bot, production mode (one and two replicas,
a soak), cost (training, size, memory, start-up), the custom actions' database look-ups and
the region matcher's agreement with counsellors. Writes results/bench.json and BENCHMARKS.md."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests

from app.settings import channel_headers
from bench import production
from bench.intents import tally
from bench.load import LoadResult, run_load
from bench.stack import PYTHON, ROOT, RasaStack
from bench.stats import percentile, summary_ms

RESULTS = ROOT / "results"
MODEL = ROOT / "models" / "assistant.tar.gz"
HELDOUT = ROOT / "tests" / "nlu"
# Written later by a helper who never saw the training data nor the first set; frozen.
FRESH_HELDOUT = ROOT / "tests" / "nlu_fresh"
# Understanding targets from #17: held-out accuracy, cross-validation accuracy (5 folds), and the share of
# each held-out set's messages read as a wrong intent (a fallback at least offers help; a wrong intent misleads).
TARGETS = {
    "intent_accuracy": 0.95,
    "cross_validation_accuracy": 0.85,
    "wrong_intent_max": 0.02,
    "p95_ratio_max": 1.5,
    "throughput_ratio_min": 0.8,
    "lookup_p95_ms": 5.0,
}


def git_commit() -> str:
    """The commit measured (with "+changes" when the tree differs from it), or "unknown"."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def run_module(module: str, *args: str, cwd: Path = ROOT) -> float:
    """Run a Python module of the project's venv (Rasa's CLI, bench.intents); its duration in seconds."""
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    subprocess.run([PYTHON, "-m", module, *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def rasa(*args: str, cwd: Path = ROOT) -> float:
    """Run a Rasa command; its duration in seconds."""
    return run_module("rasa", *args, cwd=cwd)


def as_the_assistant_reads(nlu: Path, out: Path) -> dict[str, Any]:
    """A held-out set parsed by the whole pipeline, fallback included (bench/intents.py); the
    readings are kept beside Rasa's report."""
    readings = out / "readings.json"
    run_module("bench.intents", str(MODEL), str(nlu), str(readings))
    return tally(json.loads(readings.read_text()))


def understanding(folds: int) -> dict[str, Any]:
    rasa("test", "nlu", "--model", str(MODEL), "--nlu", str(HELDOUT), "--out", str(RESULTS / "nlu-heldout"))
    report = json.loads((RESULTS / "nlu-heldout" / "intent_report.json").read_text())
    per_intent = {
        name: {"f1": round(v["f1-score"], 3), "support": v["support"], "confused_with": v.get("confused_with", {})}
        for name, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and "avg" not in name
    }
    heldout = as_the_assistant_reads(HELDOUT, RESULTS / "nlu-heldout")
    result: dict[str, Any] = {
        "heldout_intent_accuracy": heldout["intent_accuracy"],
        "heldout_classifier_accuracy": round(report["accuracy"], 4),
        "heldout_messages": heldout["messages"],
        "heldout_errors": heldout["errors"],
        "heldout_errors_to_fallback": heldout["errors_to_fallback"],
        "heldout_intent_macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_intent": per_intent,
        "confusions": sorted(
            ((name, other, n) for name, v in per_intent.items() for other, n in v["confused_with"].items()),
            key=lambda t: -t[2],
        )[:12],
    }
    fresh = RESULTS / "nlu-fresh"
    rasa("test", "nlu", "--model", str(MODEL), "--nlu", str(FRESH_HELDOUT), "--out", str(fresh))
    fresh_report = json.loads((fresh / "intent_report.json").read_text())
    result["fresh_heldout"] = {
        **as_the_assistant_reads(FRESH_HELDOUT, fresh),
        "classifier_accuracy": round(fresh_report["accuracy"], 4),
        "intent_macro_f1": round(fresh_report["macro avg"]["f1-score"], 4),
    }
    places = ROOT / "var" / "test-results" / "nlu-heldout" / "place_entities.json"
    if places.exists():  # written by the last `make test` (tests/test_nlu_heldout.py, real servers)
        result["heldout_place_f1"] = {k: round(v["f1"], 4) for k, v in json.loads(places.read_text()).items()}
    if folds:
        out = RESULTS / "nlu-cross-validation"
        rasa("test", "nlu", "--cross-validation", "--folds", str(folds), "--config", "config.yml",
             "--nlu", "data/nlu", "--out", str(out))  # fmt: skip
        cv = json.loads((out / "intent_report.json").read_text())
        result["cross_validation"] = {"folds": folds, "intent_accuracy": round(cv["accuracy"], 4),
                                      "intent_macro_f1": round(cv["macro avg"]["f1-score"], 4)}  # fmt: skip
    return result


def stock_bot(workdir: Path) -> tuple[Path, float]:
    """The bot `rasa init` creates, trained; its model and training time (init included)."""
    stock = workdir / "stock"
    stock.mkdir()
    seconds = rasa("init", "--no-prompt", "--init-dir", str(stock), cwd=workdir)
    return next((stock / "models").glob("*.tar.gz")), seconds


def first_answer(stack: RasaStack, tag: str) -> float:
    """Seconds from the start of the processes to the first answer."""
    first = time.perf_counter()
    requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": f"first-{tag}", "message": "bonjour"},
                  headers=channel_headers(stack.token), timeout=120).raise_for_status()  # fmt: skip
    return round(stack.seconds_to_ready + (time.perf_counter() - first), 1)


def speed(stacks: dict[str, RasaStack], levels: list[int], rounds: int, repeats: int) -> dict[str, dict[str, Any]]:
    """Each level driven `repeats` times on each bot in turn, so that a slower moment of a shared
    machine falls on both; latencies and messages are pooled over the repeats."""
    pooled_runs: dict[str, dict[int, list[LoadResult]]] = {name: {level: [] for level in levels} for name in stacks}
    for level in levels:
        for repeat in range(repeats):
            for name, stack in stacks.items():
                result = asyncio.run(run_load(stack.rasa_url, level, rounds, f"{name}{repeat}", stack.token))
                pooled_runs[name][level].append(result)
    return {
        name: {str(level): pooled(results) for level, results in by_level.items()}
        for name, by_level in pooled_runs.items()
    }


def pooled(results: list[LoadResult]) -> dict[str, Any]:
    """Latency percentiles over all the runs' messages; messages per second over their total time."""
    latencies = [seconds for result in results for seconds in result.latencies_s]
    return {
        **summary_ms(latencies),
        "messages_per_second": round(len(latencies) / sum(r.seconds for r in results), 1),
        "errors": sum(r.errors for r in results),
    }


# One conversation at a time: where a message's time goes.
BREAKDOWN_MESSAGES = {"fixed_reply": "merci beaucoup", "reply_with_lookups": "c'est comment la vie à Rimouski?"}
STOCK_MESSAGES = {"fixed_reply": "thanks", "reply_with_lookups": "I am sad"}


def median_ms(call, repeat: int = 25) -> float:
    times = []
    for n in range(repeat):
        started = time.perf_counter()
        call(n)
        times.append((time.perf_counter() - started) * 1000)
    return round(percentile(times, 50), 1)


def breakdown(stack: RasaStack, messages: dict[str, str], tag: str) -> dict[str, float]:
    """Median ms of the NLU alone (/model/parse) and of whole messages of each kind."""
    found = {
        "nlu_parse": median_ms(
            lambda n: requests.post(
                f"{stack.rasa_url}/model/parse", params={"token": stack.token}, json={"text": messages["fixed_reply"]},
                timeout=60,
            ).raise_for_status()
        )
    }  # fmt: skip
    for kind, text in messages.items():
        found[kind] = median_ms(
            lambda n, text=text, kind=kind: requests.post(
                f"{stack.rasa_url}/webhooks/rest/webhook",
                json={"sender": f"{tag}-{kind}-{n}", "message": text},
                headers=channel_headers(stack.token),
                timeout=60,
            ).raise_for_status()
        )
    return found


def domain_size(project: Path, domain_path: str) -> dict[str, int]:
    """How much Rasa's dialogue management has to weigh on each message."""
    import yaml
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(project / domain_path))
    files = (project / "data").rglob("*.yml")
    rules = sum(len((yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("rules") or []) for f in files)
    return {"slots": len(domain.slots), "forms": len(domain.form_names), "intents": len(domain.intents), "rules": rules}


def lookups(database_url: str, repeat: int = 300) -> dict[str, float]:
    """p95 of the custom actions' database look-ups, in milliseconds (in process)."""
    os.environ["DATABASE_URL"] = database_url
    from app.db import session_scope
    from app.organisations import find_organisations
    from app.places import load_gazetteer
    from app.regions import region_profile

    gazetteer = load_gazetteer()
    measured = {}
    with session_scope() as session:
        cases = {
            "region_profile": lambda: region_profile(session, "01"),
            "find_organisations": lambda: find_organisations(session, "05", "welcome", "Sherbrooke"),
            "place_in_text": lambda: gazetteer.find_in_text("c'est comment la vie à Rivière-du-Loup?"),
        }
        for name, call in cases.items():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            measured[name] = round(percentile(times, 95), 3)
    return measured


def recommendation_agreement() -> dict[str, Any]:
    """The region matcher against the counsellors' personas (on the database `lookups` set up)."""
    from app.db import session_scope
    from bench.recommendation import agreement

    with session_scope() as session:
        return agreement(session)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--levels", default="1,10,50,100")
    parser.add_argument("--rounds", type=int, default=2, help="conversations per concurrent slot")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each level on each bot, interleaved")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: skip)")
    parser.add_argument("--train", action="store_true", help="also time a full training of our model")
    parser.add_argument("--production-levels", default="50,100", help="production mode's levels ('' to skip)")
    parser.add_argument("--soak-minutes", type=float, default=10, help="production soak (0: skip)")
    parser.add_argument("--soak-conversations", type=int, default=30)
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    subprocess.run([PYTHON, "-m", "app", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)

    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "targets": TARGETS,
    }
    cost: dict[str, Any] = {"model_mb": round(MODEL.stat().st_size / 2**20, 1)}
    if args.train:
        seconds = rasa("train", "--force", "--domain", "domain", "--data", "data", "--config", "config.yml",
                       "--out", str(workdir / "models"))  # fmt: skip
        cost["training_seconds"] = round(seconds, 1)
    stock_model, stock_seconds = stock_bot(workdir)
    cost["stock_training_seconds"] = round(stock_seconds, 1)
    cost["stock_model_mb"] = round(stock_model.stat().st_size / 2**20, 1)

    stock_dir = workdir / "stock-run"
    stock_dir.mkdir()
    stacks: dict[str, RasaStack] = {}
    try:
        stacks["assistant"] = RasaStack(MODEL, workdir, env={"DATABASE_URL": database_url}).start()
        stacks["stock"] = RasaStack(stock_model, stock_dir, actions=False, cwd=stock_model.parent.parent).start()
        first = {name: first_answer(stack, name) for name, stack in stacks.items()}
        levels_measured = speed(stacks, levels, args.rounds, args.repeats)
        report["speed"] = {
            name: {
                "seconds_to_first_answer": first[name],
                "levels": levels_measured[name],
                "breakdown_ms": breakdown(stack, BREAKDOWN_MESSAGES if name == "assistant" else STOCK_MESSAGES, name),
                "peak_memory_mb": stack.peak_memory(),
            }
            for name, stack in stacks.items()
        }
        report["speed_method"] = {"rounds": args.rounds, "repeats": args.repeats}
    finally:
        for stack in stacks.values():
            stack.stop()
    if args.production_levels:
        prod_levels = [int(n) for n in args.production_levels.split(",")]
        report["production"] = {"speed": production.speed(prod_levels, args.rounds, workdir / "production")}
        if args.soak_minutes:
            report["production"]["soak"] = production.soak(args.soak_minutes, args.soak_conversations, workdir / "soak")

    report["cost"] = cost
    report["domain"] = {
        "assistant": domain_size(ROOT, "domain"),
        "stock": domain_size(stock_model.parent.parent, "domain.yml"),
    }
    report["lookups_p95_ms"] = lookups(database_url)
    report["recommendation"] = recommendation_agreement()
    report["understanding"] = understanding(args.folds)
    report["verdict"] = verdict(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(markdown(report), encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    print((ROOT / "BENCHMARKS.md").read_text())
    return 0


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    ours, stock = report["speed"]["assistant"]["levels"], report["speed"]["stock"]["levels"]
    at = "50" if "50" in ours else max(ours, key=int)
    p95_ratio = ours[at]["p95_ms"] / stock[at]["p95_ms"]
    throughput_ratio = ours[at]["messages_per_second"] / stock[at]["messages_per_second"]
    understood = report["understanding"]
    accuracy = understood["heldout_intent_accuracy"]
    fresh, cv = understood.get("fresh_heldout"), understood.get("cross_validation")
    worst_lookup = max(report["lookups_p95_ms"].values())
    return {
        "at_concurrency": int(at),
        "p95_ratio": round(p95_ratio, 2),
        "throughput_ratio": round(throughput_ratio, 2),
        "intent_accuracy_met": accuracy >= TARGETS["intent_accuracy"],
        "heldout_wrong_intent_met": wrong_intent_share(heldout_results(understood)) < TARGETS["wrong_intent_max"],
        "fresh_wrong_intent_met": None if fresh is None else wrong_intent_share(fresh) < TARGETS["wrong_intent_max"],
        "cross_validation_met": None
        if cv is None
        else cv["folds"] >= 5 and cv["intent_accuracy"] >= TARGETS["cross_validation_accuracy"],
        "p95_met": p95_ratio <= TARGETS["p95_ratio_max"],
        "throughput_met": throughput_ratio >= TARGETS["throughput_ratio_min"],
        "lookups_met": worst_lookup <= TARGETS["lookup_p95_ms"],
    }


def wrong_intent_share(results: dict[str, Any]) -> float:
    """The share of a set's messages read as another intent (a fallback is not counted: it offers help)."""
    return (results["errors"] - results["errors_to_fallback"]) / results["messages"]


def heldout_results(understood: dict[str, Any]) -> dict[str, Any]:
    return {key: understood[f"heldout_{key}"] for key in ("messages", "errors", "errors_to_fallback")}


def met(flag: bool) -> str:
    return "met" if flag else "missed"


def megabytes(processes: dict[str, float]) -> str:
    return ", ".join(f"{name} {round(mb)}" for name, mb in processes.items())


def size(domain: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in domain.items())


def markdown(report: dict[str, Any]) -> str:
    v, u, c = report["verdict"], report["understanding"], report["cost"]
    lines = [
        "# Benchmarks",
        "",
        f"Run on {report['date']} at commit {report.get('commit', 'unknown')} — "
        f"{report['machine']['cpus']} CPUs, {report['machine']['platform']}, "
        f"Python {report['machine']['python']}. Written by `make bench` (`python -m bench`); raw figures in "
        "`results/bench.json`. Absolute times on a shared machine mean little: compare with the stock bot.",
        "",
        "## Speed (REST channel, concurrent multi-turn conversations)",
        "",
        "| conversations at once | assistant p50 / p95 / p99 ms | assistant msg/s "
        "| stock p50 / p95 / p99 ms | stock msg/s |",
        "|---|---|---|---|---|",
    ]
    ours, stock = report["speed"]["assistant"], report["speed"]["stock"]
    for level, o in ours["levels"].items():
        s = stock["levels"][level]
        lines.append(f"| {level} | {o['p50_ms']} / {o['p95_ms']} / {o['p99_ms']} | {o['messages_per_second']} | "
                     f"{s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} | {s['messages_per_second']} |")  # fmt: skip
    lines += [
        "",
        f"At {v['at_concurrency']} conversations: p95 ratio {v['p95_ratio']} (target ≤ {TARGETS['p95_ratio_max']}: "
        f"{'met' if v['p95_met'] else 'missed'}), throughput ratio {v['throughput_ratio']} "
        f"(target ≥ {TARGETS['throughput_ratio_min']}: {'met' if v['throughput_met'] else 'missed'}). "
        "The assistant calls its action server on most messages (database look-ups, and the language after "
        "every message) and keeps consented conversations in its database; the stock bot answers from fixed "
        f"responses and keeps everything in memory. Each level ran {report['speed_method']['repeats']} "
        "time(s) on each bot in turn, so a busy moment of the machine falls on both; the figures pool the runs.",
        "",
        "Where a message's time goes, one conversation at a time (median ms): "
        f"NLU alone {ours['breakdown_ms']['nlu_parse']} (stock {stock['breakdown_ms']['nlu_parse']}); "
        f"a message answered with a fixed response {ours['breakdown_ms']['fixed_reply']} "
        f"(stock {stock['breakdown_ms']['fixed_reply']}); a message answered with database look-ups "
        f"{ours['breakdown_ms']['reply_with_lookups']} (stock, fixed: {stock['breakdown_ms']['reply_with_lookups']}). "
        f"Domain sizes: the assistant {size(report['domain']['assistant'])}; the stock bot "
        f"{size(report['domain']['stock'])}. What keeps the assistant close to the stock bot: the action server's "
        "answers are checked against a schema validator built once (`rasa_components/action_responses.py`), and "
        "the dialogues are rules only, without a TEDPolicy (`config.yml`).",
        "",
        "## Understanding",
        "",
        "Accuracy is counted as the assistant acts: each message parsed by the whole pipeline, so a message "
        "sent to the fallback counts as an error, but not as a wrong intent (`bench/intents.py`). Rasa's own "
        "evaluation sets the fallback aside; its figure is given as the classifier's.",
        "",
        f"- Held-out set (`tests/nlu/`): intent accuracy {u['heldout_intent_accuracy']} "
        f"(target {TARGETS['intent_accuracy']}: {'met' if v['intent_accuracy_met'] else 'missed'}); "
        f"the classifier alone {u.get('heldout_classifier_accuracy', '–')}, macro-F1 {u['heldout_intent_macro_f1']}.",
    ]
    if "heldout_errors" in u:
        h = heldout_results(u)
        lines.append(
            f"- Read as a wrong intent (not the fallback) on the held-out set: {h['errors'] - h['errors_to_fallback']} "
            f"of {h['messages']} ({100 * wrong_intent_share(h):.1f} %; target under "
            f"{100 * TARGETS['wrong_intent_max']:g} %: {met(v['heldout_wrong_intent_met'])})."
        )
    if not v["intent_accuracy_met"] and "heldout_errors" in u:
        needed = math.ceil(TARGETS["intent_accuracy"] * u["heldout_messages"]) - (
            u["heldout_messages"] - u["heldout_errors"]
        )
        lines.append(
            f"- Why the target is missed: {u['heldout_errors']} of {u['heldout_messages']} messages are misread, "
            f"{needed} too many; {u['heldout_errors_to_fallback']} of them went to the fallback (the assistant says "
            "it is not sure and offers a counsellor), the others are confusions between close intents (below)."
        )
    if "fresh_heldout" in u:
        f = u["fresh_heldout"]
        wrong_intent = f["errors"] - f["errors_to_fallback"]
        target = f"{100 * TARGETS['wrong_intent_max']:g}"
        lines.append(
            f"- Second held-out set (`tests/nlu_fresh/`, {f['messages']} messages written by someone who never saw "
            f"the training data, frozen): intent accuracy {f['intent_accuracy']} (the classifier alone "
            f"{f.get('classifier_accuracy', '–')}, macro-F1 {f['intent_macro_f1']}); "
            f"of {f['errors']} errors, {f['errors_to_fallback']} went to the fallback and {wrong_intent} to a wrong "
            f"intent ({100 * wrong_intent_share(f):.1f} % of the messages; target under {target} %: "
            f"{met(v['fresh_wrong_intent_met'])})."
        )
    if "heldout_place_f1" in u:
        lines.append(f"- Place entities as the actions resolve them (F1): {u['heldout_place_f1']}.")
    if "cross_validation" in u:
        cv = u["cross_validation"]
        lines.append(f"- {cv['folds']}-fold cross-validation on the training data: intent accuracy "
                     f"{cv['intent_accuracy']} (target {TARGETS['cross_validation_accuracy']} with 5 folds: "
                     f"{met(v['cross_validation_met'])}), macro-F1 {cv['intent_macro_f1']}.")  # fmt: skip
    lines += ["", "| intent | F1 (the classifier alone) | support |", "|---|---|---|"]
    lines += [
        f"| {n} | {d['f1']} | {d['support']} |" for n, d in sorted(u["per_intent"].items(), key=lambda x: x[1]["f1"])
    ]
    lines += ["", "Most frequent confusions (true → predicted, count): "
              + "; ".join(f"{a} → {b} ({n})" for a, b, n in u["confusions"])]  # fmt: skip
    lines += [
        "",
        "## Cost",
        "",
        f"- Model: {c['model_mb']} MB (stock bot: {c['stock_model_mb']} MB); training: "
        + (f"{c['training_seconds']} s" if "training_seconds" in c else "not timed here (`make bench-train`)")
        + f" (stock bot, init included: {c['stock_training_seconds']} s).",
        f"- Peak memory (MB): assistant {megabytes(ours['peak_memory_mb'])}, "
        f"stock {megabytes(stock['peak_memory_mb'])}.",
        f"- Time to first answer after start: assistant {ours['seconds_to_first_answer']} s, "
        f"stock {stock['seconds_to_first_answer']} s.",
        f"- Custom actions' look-ups, p95 (ms): {report['lookups_p95_ms']} (target < {TARGETS['lookup_p95_ms']} ms: "
        f"{'met' if v['lookups_met'] else 'missed'}).",
        "",
    ]
    if "production" in report:
        lines += production_markdown(report)
    if "recommendation" in report:
        r = report["recommendation"]
        missed = f" Missed: {', '.join(m['persona'] for m in r['missed'])}." if r["missed"] else ""
        lines += ["## Region recommendation", "",
                  f"Agreement with the counsellors' personas (`tests/recommendation_personas.yml`): {r['agreement']} "
                  f"of {r['personas']} personas have all their expected regions in the matcher's top three; "
                  f"{r['expected_regions_found']} of the expected regions found.{missed}", ""]  # fmt: skip
    return "\n".join(lines)


def production_markdown(report: dict[str, Any]) -> list[str]:
    prod, embedded, stock = report["production"]["speed"], report["speed"]["assistant"], report["speed"]["stock"]
    lines = [
        "## Production mode (PostgreSQL, Redis lock and memory, HAProxy, two action servers)",
        "",
        "Same run, same conversations, through the front (p50 / p95 ms, messages/s, messages sent again):",
        "",
        "| conversations | embedded (SQLite, 1 Rasa) | production, 1 replica | production, 2 replicas | stock bot |",
        "|---|---|---|---|---|",
    ]

    def cell(figures: dict[str, Any] | None) -> str:
        if not figures:
            return "—"
        again = f", {figures['sent_again']} again" if figures.get("sent_again") else ""
        errors = f", {figures['errors']} errors" if figures.get("errors") else ""
        return f"{figures['p50_ms']} / {figures['p95_ms']}, {figures['messages_per_second']}/s{again}{errors}"

    for level in prod["two_replicas"]["levels"]:
        row = [embedded["levels"].get(level), prod["one_replica"]["levels"][level],
               prod["two_replicas"]["levels"][level], stock["levels"].get(level)]  # fmt: skip
        lines.append(f"| {level} | " + " | ".join(cell(figures) for figures in row) + " |")
    cpu = prod["two_replicas"]["levels"][max(prod["two_replicas"]["levels"], key=int)]["cpu_ms_per_message"]
    # Each process's CPU over every message answered: summed over the replicas, what one message
    # costs, whichever replica took it.
    rasa_ms = sum(v for k, v in cpu.items() if k.startswith("rasa"))
    actions_ms = sum(v for k, v in cpu.items() if k.startswith("actions"))
    cores = report["machine"]["cpus"]

    def gain(level: str) -> str:
        one = prod["one_replica"]["levels"][level]["messages_per_second"]
        two = prod["two_replicas"]["levels"][level]["messages_per_second"]
        return f"{two} against {one} messages/s at {level} conversations (×{two / one:.2f})"

    gains = ", ".join(gain(level) for level in prod["two_replicas"]["levels"])
    overloaded = [level for level, f in prod["one_replica"]["levels"].items() if f.get("sent_again")]
    lines += [
        "",
        f"What a second replica buys on these {cores} cores: {gains}. A Rasa server is one Python process and "
        f"uses about one core, so on {cores} cores a second replica puts the other core to work."
        + (
            f" At {', '.join(overloaded)} conversations one replica is past its capacity: messages came back "
            "not handled (503/504) or timed out and were sent again (none answered twice, none lost), "
            "which costs more work, so that ratio overstates the gain."
            if overloaded
            else ""
        ),
        "",
        f"CPU per message answered, all processes of a kind together: Rasa {rasa_ms:.1f} ms, action servers "
        f"{actions_ms:.1f} ms, HAProxy {cpu.get('front', 0)} ms (PostgreSQL and Redis not counted). On a "
        f"machine with a core per replica (and the database elsewhere), each replica would add about "
        f"{1000 / max(rasa_ms, 0.1):.0f} messages/s (1000 ms / {rasa_ms:.0f} ms of Rasa CPU per message), "
        f"and the action servers would need about {actions_ms / max(rasa_ms, 0.1):.2f} of a core per replica.",
    ]
    if soak := report["production"].get("soak"):
        drift = [m["p95_ms"] for m in soak["p95_by_minute"]]
        lines += [
            "",
            f"Soak: {soak['concurrency']} conversations at once for {soak['minutes']} minutes on two replicas: "
            f"{soak['messages']} messages, {soak['errors']} errors (target 0); p95 by minute (ms): {drift}; "
            f"memory growth from start to end (%, target ≤ 10): {soak['memory_growth_percent']} "
            f"(start {megabytes(soak['memory_start_mb'])} MB; end {megabytes(soak['memory_end_mb'])} MB).",
        ]
    return [*lines, ""]


if __name__ == "__main__":
    raise SystemExit(main())

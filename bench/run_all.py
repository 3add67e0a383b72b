"""Run every benchmark in bench/ and write BENCHMARKS.md at the repository's root.

    .venv/bin/python bench/run_all.py [--quick] [--only NAME ...] [--output BENCHMARKS.md]

Each benchmark runs as a child process of this one (its own process group), bounded by a
timeout: on expiry its whole group is killed and the table says so. Sizes are chosen so
the whole run takes about half an hour on the 2-core machine (``--quick`` shrinks them
further); each benchmark's own defaults are larger (see its docstring). BENCHMARKS.md
gets the machine's description (cores, memory, load, Python, PostgreSQL, Redis), one table
with each figure beside its baseline measured in the same run, the ratio and the goal,
and every benchmark's full output.

Baselines: the HTTP benchmarks are compared with a trivial view (``HttpResponse("ok")``)
behind the same middleware on the same server configuration, measured by the page-cache
benchmark in the same run (anonymous or signed in, as the figure); the import with
``unzip`` of the same package; the in-process page benchmarks with the same page at a
small size (the goal there: the query count stays flat).
"""

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(command, timeout):
    """``(returncode or "timeout", output, seconds)`` of ``command``, killed (with its
    children) when it runs longer than ``timeout`` seconds."""
    began = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
        [PYTHON, *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        status = "timeout"
    return status, output, time.monotonic() - began


def _lines(output):
    # Drop warnings the children print on stderr, keep the figures.
    return [line for line in output.splitlines() if "Warning" not in line and line.strip()]


def machine():
    cores = os.cpu_count()
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    postgres = redis = "not reachable"
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as connection:
            postgres = connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # noqa: BLE001 - described, not raised
        postgres = f"not reachable ({type(error).__name__})"
    try:
        import redis as redis_client

        redis = redis_client.Redis(host="127.0.0.1").info()["redis_version"]
    except Exception as error:  # noqa: BLE001
        redis = f"not reachable ({type(error).__name__})"
    return {
        "cores": f"{cores} ({cpu})" if cpu else str(cores),
        "memory": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "postgresql": postgres,
        "redis": redis,
    }


def load_average():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


# --- the benchmarks ----------------------------------------------------------------------
# Each: (name, [(label, arguments, timeout seconds)], parse(outputs by label, context) ->
# rows of (what, figure, baseline, ratio, goal)).


def fmt(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return f"{value} {unit}".strip()


def ratio_text(figure, baseline):
    if figure is None or not baseline:
        return "–"
    return f"{figure / baseline:.2f}"


def parse_page_cache(outputs, context):
    rows = []
    data = context.get("page_cache_json")
    if not data:
        return rows
    for row in data:
        if row["what"].startswith("trivial view"):
            context[row["what"]] = row["rps"]
        rows.append(
            (
                f"{row['what']} (req/s)",
                fmt(row["rps"]),
                f"{row['baseline']}: {fmt(row['baseline_rps'])}" if row["baseline"] else "–",
                ratio_text(row["rps"], row["baseline_rps"]),
                f"≥ {row['goal']:.2f}"
                if row["goal"]
                else ("–" if row["baseline"] else "(baseline)"),
            )
        )
    return rows


def parse_registrations(outputs, context):
    match = re.search(r"throughput: (\d+) registrations/s", outputs["run"])
    figure = float(match.group(1)) if match else None
    base = context.get("trivial view, signed in")
    check = re.search(r"result: (\w+)", outputs["run"])
    return [
        (
            "concurrent registrations (registrations/s)"
            + (f", oversell check {check.group(1)}" if check else ""),
            fmt(figure),
            f"trivial view, signed in: {fmt(base)} req/s",
            ratio_text(figure, base),
            "≥ 100/s",
        )
    ]


def parse_xapi(outputs, context):
    rows = []
    base = context.get("trivial view, signed in")
    for line in outputs["run"].splitlines():
        match = re.match(
            r"^(\w+)\s+(\w+)\s+(\d+) statements(.*?) in .*?:\s+(\d+) statements/s", line
        )
        if match:
            database, mode, _count, size, rate = match.groups()
            rows.append(
                (
                    f"xAPI {mode} on {database} (statements/s)",
                    fmt(float(rate)),
                    f"trivial view, signed in: {fmt(base)} req/s",
                    ratio_text(float(rate), base),
                    "≥ 300/s" if mode == "single" else "≥ 1000/s",
                )
            )
    return rows


def parse_h5p_import(outputs, context):
    rows = []
    for label, what in (
        ("run", "H5P validate + import, local disk"),
        ("s3", "H5P import on S3 (moto server), validate + import"),
    ):
        text = outputs.get(label, "")
        unzip = re.search(r"^unzip\s+([\d.]+)ms", text, re.M)
        imported = re.search(r"^validate \+ import\s+([\d.]+)ms", text, re.M)
        if not (unzip and imported):
            continue
        figure, base = float(imported.group(1)), float(unzip.group(1))
        rows.append(
            (
                f"{what} (ms, wall median)",
                fmt(figure),
                f"unzip: {fmt(base)} ms",
                ratio_text(figure, base),
                "≤ 3",
            )
        )
    return rows


def parse_h5p_assets(outputs, context):
    """The bytes and seconds of an H5P lesson on slow 3G beside the same figures measured
    on the code before issue 15 (a constant of bench/h5p_assets.py: that code is gone)."""
    rows = []
    pattern = (
        r"^(?P<what>\S.*?)\s{2,}(?P<base>[\d,.]+)\s+(?P<now>[\d,.]+)\s+[\d.]+\s+"
        r"<= (?P<goal>[\d,.]+)"
    )
    for line in outputs.get("run", "").splitlines():
        match = re.match(pattern, line)
        if not match:
            continue
        unit = " s" if "s to interactive" in match["what"] else " B"
        figure = float(match["now"].replace(",", ""))
        base = float(match["base"].replace(",", ""))
        rows.append(
            (
                match["what"],
                match["now"] + unit,
                f"before the change (2026-12-01): {match['base']}{unit}",
                ratio_text(figure, base),
                f"≤ {match['goal']}{unit}",
            )
        )
    return rows


def _paired(outputs, pattern, small, large, unit, goal, suffix=""):
    """Rows comparing each page's figure at ``large`` with the same page at ``small``."""
    found = {}
    for label in (small, large):
        for line in outputs.get(label, "").splitlines():
            match = re.match(pattern, line)
            if match:
                found.setdefault(match.group("what").strip(), {})[label] = match
    rows = []
    for what, matches in found.items():
        if small in matches and large in matches:
            for key, name, this_unit, this_goal in (
                ("queries", "queries", "", goal),
                ("ms", "median", "ms", "–"),
            ):
                figure = float(matches[large].group(key))
                base = float(matches[small].group(key))
                rows.append(
                    (
                        f"{what}{suffix}: {name}",
                        fmt(figure, this_unit),
                        f"{small}: {fmt(base, this_unit)}",
                        ratio_text(figure, base),
                        this_goal,
                    )
                )
    return rows


def parse_dashboard(outputs, context):
    pattern = r"^(?P<what>\w+)\s+HTTP \d+\s+(?P<queries>\d+) queries\s+median\s+(?P<ms>[\d.]+) ms"
    return _paired(
        outputs, pattern, "2 enrolments", "20 enrolments", "", "1.00 (flat)", " (signed in)"
    )


def parse_workshops(outputs, context):
    pattern = r"^(?P<what>.+?)\s+(?P<ms>[\d.]+)\s+[\d.]+\s+(?P<queries>\d+)$"
    return _paired(outputs, pattern, "4 workshops", "40 workshops", "", "1.00 (flat)")


def parse_reports(outputs, context):
    rows = []
    seen = {}
    for line in outputs["run"].splitlines():
        match = re.match(r"^\s*(\d+) \| (.+?)\s+\|\s+([\d.]+) (ms|s)\s+\|(.*)$", line)
        if not match:
            continue
        count, what, value, unit, rest = match.groups()
        queries = re.search(r"(\d+) queries", rest)
        memory = re.search(r"([\d.]+) MiB \|", rest)
        figure = float(queries.group(1)) if queries else float(value)
        shown_unit = "queries" if queries else unit
        if memory:
            figure, shown_unit = float(memory.group(1)), "MiB peak"
        key = (what, shown_unit)
        if key not in seen:
            seen[key] = (count, figure)
            continue
        base_count, base = seen[key]
        rows.append(
            (
                f"{what} at {count} rows ({shown_unit})",
                fmt(figure),
                f"{base_count} rows: {fmt(base)}",
                ratio_text(figure, base),
                "1.00 (flat)",
            )
        )
    return rows


def parse_course_reports(outputs, context):
    rows = []
    seen = {}
    for line in outputs["run"].splitlines():
        match = re.match(
            r"^\s*(\d+) \|\s+\d+ \| (.+?)\s+\|\s+([\d.]+) (ms|s)\s*\|"
            r"\s*(?:([\d.]+) MiB)?\s*\|\s*(.*?)\s*\|",
            line,
        )
        if not match:
            continue
        count, what, value, unit, memory, extra = match.groups()
        queries = re.search(r"(\d+) queries", extra)
        if queries:
            figure, shown_unit = float(queries.group(1)), "queries"
        elif memory:
            figure, shown_unit = float(memory), "MiB peak"
        else:
            figure, shown_unit = float(value), unit
        key = (what, shown_unit)
        if key not in seen:
            seen[key] = (count, figure)
            continue
        base_count, base = seen[key]
        rows.append(
            (
                f"course {what} at {count} enrolments ({shown_unit})",
                fmt(figure),
                f"{base_count} enrolments: {fmt(base)}",
                ratio_text(figure, base),
                "1.00 (flat)",
            )
        )
    return rows


def h5p_sample():
    """The largest H5P sample beside the checkout (or in H5P_SAMPLES_DIR): a worktree's
    parent is not the main checkout's, so both places are looked at."""
    candidates = [os.environ.get("H5P_SAMPLES_DIR", "")] + [
        str(parent / "shared" / "h5p-samples") for parent in ROOT.parents[:2]
    ]
    for folder in filter(None, candidates):
        samples = sorted(Path(folder).glob("*.h5p"), key=lambda path: path.stat().st_size)
        if samples:
            return [str(samples[-1])]
    return []


def benchmarks(quick, json_path):
    scale = 0.3 if quick else 1
    seconds = "2" if quick else "4"
    return [
        (
            "page_cache",
            "Anonymous page cache and signed-in pages over HTTP (bench/page_cache.py)",
            [("run", ["bench/page_cache.py", "--seconds", seconds, "--json", json_path], 900)],
            parse_page_cache,
        ),
        (
            "webinar_registrations",
            "Concurrent webinar registrations over HTTP (bench/webinar_registrations.py)",
            [
                (
                    "run",
                    [
                        "bench/webinar_registrations.py",
                        "--requests",
                        str(int(300 * scale) or 50),
                        "--capacity",
                        str(int(200 * scale) or 30),
                    ],
                    600,
                )
            ],
            parse_registrations,
        ),
        (
            "xapi_ingest",
            "xAPI statements over HTTP (bench/xapi_ingest.py)",
            [
                (
                    "run",
                    [
                        "bench/xapi_ingest.py",
                        "--database",
                        "postgres",
                        "--statements",
                        str(int(1000 * scale)),
                    ],
                    600,
                )
            ],
            parse_xapi,
        ),
        (
            "h5p_import",
            "H5P import vs unzip (bench/h5p_import.py)",
            [
                ("run", ["bench/h5p_import.py", *h5p_sample(), "--repeat", "7"], 400),
                (
                    "s3",
                    ["bench/h5p_import.py", *h5p_sample(), "--repeat", "7", "--storage", "s3"],
                    400,
                ),
            ],
            parse_h5p_import,
        ),
        (
            "h5p_assets",
            "H5P lesson on slow 3G: bytes and time to interactive (bench/h5p_assets.py)",
            [("run", ["bench/h5p_assets.py", "--timeout", "500"], 600)],
            parse_h5p_assets,
        ),
        (
            "courses_dashboard",
            "My learning, catalogue, course and lesson pages, signed in "
            "(bench/courses_dashboard.py)",
            [
                (
                    "2 enrolments",
                    ["bench/courses_dashboard.py", "--enrolments", "2", "--runs", "5"],
                    400,
                ),
                (
                    "20 enrolments",
                    [
                        "bench/courses_dashboard.py",
                        "--enrolments",
                        str(int(20 * scale) or 5),
                        "--runs",
                        "5",
                    ],
                    600,
                ),
            ],
            parse_dashboard,
        ),
        (
            "workshop_pages",
            "Workshop pages, search and a download (bench/workshop_pages.py)",
            [
                (
                    "4 workshops",
                    [
                        "bench/workshop_pages.py",
                        "--workshops",
                        "1",
                        "--materials",
                        "5",
                        "--repeat",
                        "5",
                    ],
                    400,
                ),
                (
                    "40 workshops",
                    [
                        "bench/workshop_pages.py",
                        "--workshops",
                        str(int(10 * scale) or 3),
                        "--materials",
                        "5",
                        "--repeat",
                        "5",
                    ],
                    600,
                ),
            ],
            parse_workshops,
        ),
        (
            "reports",
            "Webinar report page and exports (bench/reports.py)",
            [
                (
                    "run",
                    [
                        "bench/reports.py",
                        "--small",
                        str(int(1000 * scale)),
                        "--large",
                        str(int(10000 * scale)),
                        "--repeat",
                        "3",
                    ],
                    600,
                )
            ],
            parse_reports,
        ),
        (
            "course_reports",
            "Course report page and learners export (bench/course_reports.py)",
            [
                (
                    "run",
                    [
                        "bench/course_reports.py",
                        "--baseline",
                        str(int(200 * scale)),
                        "--enrolments",
                        str(int(2000 * scale)),
                        "--statements",
                        str(int(10000 * scale)),
                        "--export-rows",
                        str(int(5000 * scale)),
                        "--repeat",
                        "3",
                    ],
                    600,
                )
            ],
            parse_course_reports,
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, shorter runs")
    parser.add_argument("--only", nargs="*", help="names of the benchmarks to run")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()

    json_path = str(Path(tempfile.gettempdir()) / f"bench-page-cache-{os.getpid()}.json")
    started = datetime.now(UTC)
    described = machine()
    load_before = load_average()
    context = {}
    sections, table = [], []
    for name, title, steps, parse in benchmarks(args.quick, json_path):
        if args.only and name not in args.only:
            continue
        outputs, statuses, took = {}, [], 0
        for label, command, timeout in steps:
            sys.stdout.write(f"{name} ({label}) ...\n")
            sys.stdout.flush()
            status, output, seconds = run(command, timeout)
            outputs[label] = "\n".join(_lines(output))
            statuses.append(
                f"{label}: "
                + (f"timed out after {timeout} s" if status == "timeout" else f"exit {status}")
            )
            took += seconds
        if name == "page_cache" and Path(json_path).exists():
            context["page_cache_json"] = json.loads(Path(json_path).read_text())
            Path(json_path).unlink()
        try:
            rows = parse(outputs, context)
        except Exception as error:  # noqa: BLE001 - a parse failure must not lose the run
            rows = [(f"(could not read the figures: {error})", "–", "–", "–", "–")]
        if not rows:
            rows = [("(no figures: see the output below)", "–", "–", "–", "–")]
        table.extend((title.split(" (")[0],) + row for row in rows)
        sections.append((title, statuses, took, outputs))

    lines = [
        "# Benchmarks",
        "",
        f"Written by `bench/run_all.py` on {started:%Y-%m-%d %H:%M} UTC "
        f"({(datetime.now(UTC) - started).total_seconds() / 60:.0f} minutes). Every figure is "
        "beside its baseline measured in the same run; ratio = figure / baseline. Regenerate "
        "with `.venv/bin/python bench/run_all.py` (about half an hour; `--quick` for less).",
        "",
        "## Machine",
        "",
        f"- cores: {described['cores']}",
        f"- memory: {described['memory']}",
        f"- Python: {described['python']} on {described['os']}",
        f"- PostgreSQL: {described['postgresql']}; Redis: {described['redis']}",
        f"- load average (1/5/15 min) at the start: {load_before}; at the end: {load_average()} "
        "(the machine is shared: absolute figures vary with the load between runs, the ratios "
        "less)",
        "",
        "## Figures",
        "",
        "| benchmark | what | figure | baseline (same run) | ratio | goal |",
        "|---|---|---|---|---|---|",
    ]
    for row in table:
        lines.append("| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |")
    lines += ["", "## Output of each benchmark", ""]
    for title, statuses, took, outputs in sections:
        lines += [f"### {title}", "", f"{'; '.join(statuses)}; {took:.0f} s", ""]
        for label, output in outputs.items():
            lines += [f"{label}:", "", "```", output, "```", ""]
    Path(args.output).write_text("\n".join(lines))
    sys.stdout.write(f"wrote {args.output}\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets (docs/fuzzing.md), generated from
the project's scenarios and test data, never committed:

  make_corpus.py OUT_DIR [RELSIM]

writes OUT_DIR/<target>/ for fuzz_loader, fuzz_incidents, fuzz_time and
fuzz_results. The loader's seeds are the YAML files of scenarios/ and
tests/data/; a Scenario or GameDay that names its System by a relative path
gets that System prepended as a document of the same file (the fuzz target
reads no other file). fuzz_results' seeds are small results files written by
`RELSIM run` (skipped, with a note, when no relsim program is given or
found). Standard library only.
"""
import hashlib
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def put(folder: pathlib.Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


SYSTEM_REF = re.compile(r"^(\s*system:\s*)(\S+\.ya?ml)(.*)$", re.M)
NAME = re.compile(r"^metadata:\s*\n\s+name:\s*(\S+)", re.M)


def inlined(path: pathlib.Path) -> bytes:
    """The file, with a System it names by path prepended and named instead."""
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    prefix = []

    def swap(m):
        system = (path.parent / m.group(2)).resolve()
        if not system.is_file():
            return m.group(0)
        system_text = system.read_text(encoding="utf-8", errors="surrogateescape")
        name = NAME.search(system_text)
        if not name:
            return m.group(0)
        prefix.append(system_text.rstrip("\n") + "\n---\n")
        return m.group(1) + name.group(1) + m.group(3)

    text = SYSTEM_REF.sub(swap, text)
    return ("".join(prefix) + text).encode("utf-8", errors="surrogateescape")


def loader(out: pathlib.Path) -> int:
    n = 0
    for base in (ROOT / "scenarios", ROOT / "tests" / "data"):
        for path in sorted(base.rglob("*.yaml")):
            put(out, inlined(path))
            n += 1
    return n


def incidents(out: pathlib.Path) -> int:
    # The first byte picks the reader: 0 generic, 1 PagerDuty, 2 Opsgenie,
    # 3 the duration column `ttr` (fuzz/fuzz_incidents.cpp).
    formats = {"incidents.csv": 0, "pagerduty.csv": 1, "opsgenie.csv": 2}
    n = 0
    for name, selector in formats.items():
        lines = (ROOT / "scenarios" / "incidents" / name).read_bytes().splitlines(keepends=True)
        put(out, bytes([selector]) + b"".join(lines[:12]))
        n += 1
    put(out, b"\x03id,ttr\nA,4m30s\nB,90\nC,\nD,1h2m\n")
    put(out, b'\x00id,service,severity,created,acknowledged,mitigated,resolved\n'
             b'"a,1",api,SEV-1,2026-03-02T14:05:00Z,2026-03-02 14:07:00+01:00,,'
             b'2026-03-02T15:00:00.250-0500\n')
    return n + 2


TIMES = [
    "30s", "1h30m", "250ms", "1.5h", "2d", "1w", "0", "-5m", "90us", "1w2d3h4m5s6ms7us",
    "2026-03-02T14:05:00Z", "2026-03-02 14:05:00+01:00", "2026-03-02T14:05:00.250-0500",
    "1767606049", "1767606049000", "4.5",
]


def times(out: pathlib.Path) -> int:
    for t in TIMES:
        put(out, t.encode())
    return len(TIMES)


def results(out: pathlib.Path, relsim: pathlib.Path) -> int:
    scenarios = ["scenarios/payments/baseline.yaml", "scenarios/payments/az-outage.yaml"]
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, s in enumerate(scenarios):
            if not (ROOT / s).is_file():
                continue
            h5 = pathlib.Path(tmp) / f"seed{k}.h5"
            r = subprocess.run([str(relsim), "run", str(ROOT / s), "--trials", "3", "-q",
                                "--out", str(h5)], capture_output=True)
            if r.returncode == 0 and h5.is_file():
                put(out, h5.read_bytes())
                n += 1
    return n


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(sys.argv[1])
    relsim = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "build/release/cli/relsim"
    counts = {
        "fuzz_loader": loader(out / "fuzz_loader"),
        "fuzz_incidents": incidents(out / "fuzz_incidents"),
        "fuzz_time": times(out / "fuzz_time"),
    }
    (out / "fuzz_results").mkdir(parents=True, exist_ok=True)
    if relsim.is_file():
        counts["fuzz_results"] = results(out / "fuzz_results", relsim)
    else:
        print(f"make_corpus: no relsim program at {relsim}: fuzz_results starts from nothing",
              file=sys.stderr)
    print("make_corpus: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + " seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Whether a change to the engine or the generators kept every output byte for byte (issue 14).

`save DIR` writes the design of each example (docs/examples/*.yaml) and of a generated
300-entity document with `python -m advisor advise --out`, and the output of
`python -m advisor benchmark`, under DIR. `compare DIR` writes them again into a temporary
folder and lists every file that differs from, is missing in, or is new against DIR; the exit
status is 1 when any does. Save before a change meant to be invisible, compare after it.

    python tests/bench/same_output.py save /tmp/before
    python tests/bench/same_output.py compare /tmp/before
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from advisor.requirements.synthetic import synthetic_document  # noqa: E402

PARTITIONS_FROM = "2025-01-01"  # fixed, so that time partitions and record dates do not move
GENERATED_ENTITIES = 300


def write_outputs(folder: Path) -> None:
    """Every design and the benchmark's report, under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        generated = Path(name) / f"generated-{GENERATED_ENTITIES}.yaml"
        document = synthetic_document(GENERATED_ENTITIES)
        generated.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        for source in (*sorted((ROOT / "docs" / "examples").glob("*.yaml")), generated):
            out = folder / source.stem
            command = ["advise", str(source), "--out", str(out)]
            _advisor([*command, "--partitions-from", PARTITIONS_FROM])
    (folder / "benchmark.txt").write_text(_advisor(["benchmark"]), encoding="utf-8")


def _advisor(arguments: list[str]) -> str:
    command = [sys.executable, "-m", "advisor", *arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout + done.stderr + f"exit status {done.returncode}\n"


def differences(before: Path, after: Path) -> list[str]:
    """The files that differ between the two folders, each with what is wrong."""
    old = {path.relative_to(before) for path in before.rglob("*") if path.is_file()}
    new = {path.relative_to(after) for path in after.rglob("*") if path.is_file()}
    found = [f"missing: {path}" for path in sorted(old - new)]
    found += [f"new: {path}" for path in sorted(new - old)]
    found += [
        f"differs: {path}"
        for path in sorted(old & new)
        if (before / path).read_bytes() != (after / path).read_bytes()
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.action == "save":
        write_outputs(args.folder)
        count = sum(1 for path in args.folder.rglob("*") if path.is_file())
        print(f"{count} files saved under {args.folder}")
        return 0
    with tempfile.TemporaryDirectory() as name:
        write_outputs(Path(name))
        found = differences(args.folder, Path(name))
    for line in found:
        print(line)
    print(f"{len(found)} files differ" if found else "every file is the same")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the sample import files in examples/ from the demo day.

The samples are the demo day (seed 7, now 2025-10-23 15:40) exported with
`aimee export`, so importing them into an empty database gives the same day the
demo shows; tests/test_examples.py fails when they drift from the generator.

    .venv/bin/python scripts/make_examples.py [--out examples]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aimee.services import exports, setup
from aimee.services.imports import IMPORTERS
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.tabular import write_sheet

DEMO_SEED = 7
DEMO_NOW = datetime(2025, 10, 23, 15, 40)
EXCEL_SAMPLE = "operators"
BAD_SNAPSHOTS = (
    (
        "snapshot_time,location_name,business_id,process_name,"
        "expected_completion_time,total_waiting,entry_count,correction_waiting\n"
    )
    + """2025-10-23 15:40,札幌,523201,エントリ1,2025-10-23 16:00,120,2016,4
2025-10-23 15:40,大阪,523201,エントリ1,2025-10-23 16:00,80,900,2
2025-10-23 15:40,盛岡,523201,エントリ1,2025-10-23 16:30,-4,1200,0
2025-10-23 15:40,盛岡,523201,補正,2025-10-23 17:00,30,400,45
2025-10-24 09:00,品川,523201,エントリ1,2025-10-24 12:00,500,0,10
"""
)
"""One good row, then an unknown site, a negative count, more corrections than
waiting tasks and a time in the future: `aimee import snapshots … --check`."""


def write_examples(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        setup.apply_migrations(engine)
        setup.load_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
        with transaction(session_factory(engine)) as session:
            for kind in IMPORTERS:
                table = exports.EXPORTS[kind]
                formats = ("csv", "xlsx") if kind == EXCEL_SAMPLE else ("csv",)
                for fmt in formats:
                    path = out / f"{kind}.{fmt}"
                    with path.open("wb") as handle:
                        rows = exports.export_rows(session, kind)
                        write_sheet(handle, fmt, table.columns, rows, title=table.title)
                    written.append(path)
        engine.dispose()
    bad = out / "snapshots_with_errors.csv"
    bad.write_text(BAD_SNAPSHOTS, encoding="utf-8")
    return [*written, bad]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "examples"
    )
    args = parser.parse_args()
    for path in write_examples(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

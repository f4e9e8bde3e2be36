"""The data commands: validate, init, status, new-quarter, customise. Printing lives here; the
work is done by tested functions of the package."""

from __future__ import annotations

import argparse
import json
import sys

from pmf_utils.cli.exits import INPUT_ERROR
from pmf_utils.data.dataset import find_data_dir, load
from pmf_utils.data.periods import quarter_label, quarter_slug
from pmf_utils.data.problems import DataError


def validate_command(args: argparse.Namespace) -> int:
    """Check every data file; print every problem, or a one-line summary when clean."""
    data_dir = find_data_dir(args.data, args.project)
    try:
        data = load(data_dir)  # validates, once: the run then takes the same loaded data
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem(s) in {data_dir}; nothing was changed.", file=sys.stderr)
        return INPUT_ERROR
    print(
        f"{data_dir}: OK: {data.plan.council}, {data.plan.plan_title}: "
        f"{len(data.ambitions)} ambitions, {len(data.priorities)} priorities, "
        f"{len(data.kpis)} KPIs, {len(data.targets)} targets, "
        f"{len(data.observations)} observations "
        f"(latest quarter with data {quarter_label(data.latest_quarter())}), "
        f"fingerprint {data.fingerprint}"
    )
    return 0


def init_command(args: argparse.Namespace) -> int:
    """``pmf init DIR [--example]``: make the folder, say what was created and left alone."""
    from pmf_utils.scaffold import init_project

    created, kept = init_project(args.folder, example=args.example)
    for path in kept:
        print(f"left alone   {path} (already exists)")
    what = "the illustrative example" if args.example else "an empty plan"
    print(f"{len(created)} file(s) created in {args.folder} with {what}; {len(kept)} left alone.")
    print(f"Next: cd {args.folder} && pmf validate")
    return 0


def status_command(args: argparse.Namespace) -> int:
    """``pmf status``: print every KPI's judgements for a quarter as a table, CSV or JSON."""
    from pmf_utils.judge.assessment import assess, exceptions, status_table
    from pmf_utils.publish.signoff import status_lines

    dataset = load(find_data_dir(args.data, args.project))
    quarter = args.quarter or dataset.latest_quarter()
    judged = assess(dataset, quarter)
    if args.format == "csv":
        print(judged.to_csv(index=False), end="")
    elif args.format == "json":
        # pandas writes blanks as null but escapes "/" ("2024\/25"): re-dump for plain periods.
        records = json.loads(judged.to_json(orient="records"))
        print(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        plan = dataset.plan
        escalated = exceptions(judged)
        print(f"{plan.council}: {plan.plan_title}: KPI status as at {quarter_label(quarter)}")
        if plan.illustrative:
            print("ILLUSTRATIVE FIGURES: not the council's data.")
        print(f"Data {dataset.data_dir} (fingerprint {dataset.fingerprint})\n")
        print(status_table(judged))
        print(f"\n{len(escalated)} of {len(judged)} KPIs escalated:")
        for kpi_id, reasons in zip(escalated["kpi_id"], escalated["exceptions"], strict=True):
            print(f"  {kpi_id}: {reasons}")
        print("\n" + "\n".join(status_lines(dataset, quarter)))
    return 0


def new_quarter_command(args: argparse.Namespace) -> int:
    """``pmf new-quarter Q``: create the missing files and say what was created and left alone."""
    from pmf_utils.data.narrative import (
        DRAFT,
        NarrativeError,
        expected,
        file_name,
        new_quarter,
        read,
        relpath,
    )

    data_dir = find_data_dir(args.data, args.project)
    data = load(data_dir)
    try:
        created = set(new_quarter(data_dir, args.quarter, args.carry_forward))
    except NarrativeError as error:
        print(f"{error}; nothing was written.", file=sys.stderr)
        return INPUT_ERROR
    folder = data.narrative_dir / quarter_slug(args.quarter)
    expected = expected(data)
    for kind, id, _name, _priority in expected:
        path = folder / file_name(kind, id)
        rel = relpath(args.quarter, kind, id)
        if path in created:
            state = read(data.data_dir, args.quarter, kind, id).state
            print(f"created      {rel}" + (" (draft from last quarter)" if state == DRAFT else ""))
        else:
            print(f"left alone   {rel} (already exists)")
    kept = len(expected) - len(created)
    print(f"{len(created)} file(s) created, {kept} left alone in {folder}")
    return 0


def customise_command(args: argparse.Namespace) -> int:
    """``pmf customise priority|kpi ID``: write the page's own notebook and say what now uses it."""
    from pmf_utils.customise import TEMPLATES, CustomiseError, customise
    from pmf_utils.project import find_project

    project = find_project(args.project)
    data = load(find_data_dir(args.data, args.project))
    try:
        path = customise(project, data, args.kind, args.id)
    except CustomiseError as error:
        print(f"{error}; nothing was written.", file=sys.stderr)
        return INPUT_ERROR
    shown = path.relative_to(project.root)
    print(f"created      {shown} from {TEMPLATES[args.kind]}")
    print(
        f"`pmf run` and `pmf preview` now make the page of {args.kind} {args.id} with it. Add "
        "your own cells (charts: give each a `#| fig-alt:` line saying what it shows); delete "
        "the file to return to the template."
    )
    return 0

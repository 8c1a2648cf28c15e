"""The kinds of import, by the name the CLI and the upload page use."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from lawlearn.imports.plan import ImportPlan
from lawlearn.imports.reader import Column, read_table


@dataclass(frozen=True)
class ImportKind:
    name: str
    module: ModuleType

    @property
    def columns(self) -> list[Column]:
        return self.module.COLUMNS


# Each module has COLUMNS, plan(rows, actor) and apply(plan, actor).
KIND_MODULES = {
    "areas": "lawlearn.areas.imports",
    "units": "lawlearn.units.imports",
    "sessions": "lawlearn.sessions.session_imports",
    "attendance": "lawlearn.sessions.attendance_imports",
    "quiz-results": "lawlearn.quiz.result_imports",
    "targets": "lawlearn.reports.target_imports",
    "assessment-entries": "lawlearn.assessment.entry_imports",
}


def kinds() -> dict[str, ImportKind]:
    import importlib

    return {name: ImportKind(name, importlib.import_module(module))
            for name, module in KIND_MODULES.items()}


def run_import(kind: str, data: bytes, filename: str, *, actor=None,
               write: bool = True) -> ImportPlan:
    """Read, check and (when `write` and nothing is wrong) apply. The caller commits.

    Raises ImportFileError when the file itself can't be read; row problems come back in
    plan.errors with nothing written.
    """
    spec = kinds()[kind]
    rows = read_table(data, filename, spec.columns)
    plan = spec.module.plan(rows, actor)
    if write and plan.ok:
        spec.module.apply(plan, actor)
        from lawlearn.audit import record

        # One event for the whole file (the rows' own events carry no area or address); a
        # file that changes nothing leaves no trace, like its rows.
        summary = plan.summary()
        if summary["created"] or summary["updated"]:
            record(actor, "import", object_type="import", object_code=kind,
                   changes={"file": filename[:200], **summary})
    return plan

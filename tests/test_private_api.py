"""
Private API of the frameworks is used in `recruitos/internals.py` alone, where tests/test_internals.py
checks each piece by name. Everywhere else in the project's code:

- no underscore attribute that the frameworks define (Django, DRF, django-filter, django-tasks,
  psycopg, drf-spectacular, django-rq, RQ) is read, written or overridden, but for those Django
  documents (`Model._meta`, `_default_manager`, `_base_manager`);
- none of their internals without an underscore is reached: the compiler, a query's parts, the
  deletion collector, signals sent by hand.

The frameworks' private names are read from their installed sources, so a new one is found too.
A project class's own underscore names are its own unless a framework class it derives from has
one of that name.
"""

import ast
import importlib
import inspect
import pathlib
import re
from functools import cache

import pytest
from django.apps import apps

ROOT = pathlib.Path(__file__).resolve().parent.parent
FRAMEWORKS = ("django", "rest_framework", "django_filters", "django_tasks", "psycopg", "drf_spectacular", "django_rq",
              "rq")  # fmt: skip
#: Underscore names Django documents as public (docs: ref/models/meta, topics/db/managers), and
#: Python's `os._exit` (the frameworks call it too, so the scan finds it among their names).
DOCUMENTED = {"_meta", "_default_manager", "_base_manager", "_exit"}
#: Internals without an underscore: a query's compiler and parts, the collector, hand-sent signals.
INTERNAL = re.compile(
    r"alias_map|compiler\.select|get_converters|sql_with_params|InsertQuery|returning_fields|get_compiler"
    r"|get_db_converters|get_col\b|add_field_update|lazy_sub_objs|contains_aggregate|Collector\b"
    r"|\b(?:pre|post)_(?:save|delete)\.send\(|\.query\.\w"
)
DEFINED = re.compile(r"(?:\bdef\s+|\bclass\s+|\.|^\s*)(_[a-z][a-z0-9_]*)\b\s*[(=:]?", re.MULTILINE)


def project_files() -> list[pathlib.Path]:
    """The project's own modules: not the tests, migrations, benchmarks, virtual environments or internals.py."""
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in {"tests", "bench"} or "migrations" in parts:
            continue
        if path.relative_to(ROOT).as_posix() != "recruitos/internals.py":
            found.append(path)
    return found


@cache
def framework_names() -> frozenset[str]:
    """Every underscore name (not a dunder) the frameworks' sources define or use as an attribute."""
    names = set()
    for package in FRAMEWORKS:
        for path in pathlib.Path(importlib.import_module(package).__file__).parent.rglob("*.py"):
            names.update(DEFINED.findall(path.read_text(errors="replace")))
    return frozenset(name for name in names if not name.endswith("__"))


def is_framework(cls) -> bool:
    return cls.__module__.split(".")[0] in FRAMEWORKS


def classes_of(path: pathlib.Path) -> dict[str, type]:
    """The classes a project module defines, by name (imported as the app registry has them)."""
    module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return {name: cls for name, cls in inspect.getmembers(module, inspect.isclass) if cls.__module__ == module.__name__}


def own_names(cls) -> set[str]:
    """The underscore names the project's classes in `cls`'s MRO define themselves."""
    return {name for base in cls.__mro__ if not is_framework(base) for name in vars(base) if name.startswith("_")}


def uses(path: pathlib.Path) -> list[str]:
    """Where the module reaches into the frameworks' private API: "path:line name"."""
    private = framework_names() - DOCUMENTED
    classes = classes_of(path)
    found = []

    def visit(node, cls=None):
        if isinstance(node, ast.ClassDef):
            cls = classes.get(node.name, cls)
        frameworks = [base for base in cls.__mro__ if is_framework(base)] if cls is not None else []
        overriding = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in framework_names()
        if overriding and any(node.name in vars(base) and node.name not in DOCUMENTED for base in frameworks):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} overrides {node.name}")
        if isinstance(node, ast.Attribute) and node.attr in private:
            on_self = isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"} and cls is not None
            if not on_self or (frameworks and node.attr not in own_names(cls)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
        for child in ast.iter_child_nodes(node):
            visit(child, cls)

    visit(ast.parse(path.read_text()))
    return found


def test_the_frameworks_private_names_are_found():
    """The scan finds what it looks for: names the project once used, and the documented ones it allows."""
    assert {"_execute_task", "_request", "_state", "_should_delete_form", "_meta"} <= framework_names()


@pytest.mark.parametrize("path", project_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_private_framework_api_outside_internals(path):
    assert apps.ready
    assert uses(path) == []
    assert [m.group() for m in INTERNAL.finditer(path.read_text())] == []

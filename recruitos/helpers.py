"""
What a `spawn`ed helper process runs: Django set up first, then the function named.

A helper unpickles the callables it is given before it runs anything, importing their modules;
one that defines models or serializers cannot be imported before `django.setup()`. So a helper
is given these two, from a module that imports nothing of Django's at its top, and the function
to run by its dotted name (`imports.checking` checks an import's rows this way).
"""

import importlib
import multiprocessing
import os
import threading


def setup() -> None:
    """
    The helper's initializer: Django's settings, apps and logging, as in the process that started
    it (from the environment: settings changed in that process after it started are not seen).
    The helper ends when that process does, however it ends: a pool's helper waits for work on a
    pipe whose both ends it holds, and would otherwise outlive a killed parent for good.
    """
    import django

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), daemon=True, name="end-with-parent").start()
    django.setup()


def ready() -> int:
    """What a helper answers once it is set up: its process id."""
    return os.getpid()


def _end_with(parent) -> None:
    parent.join()
    os._exit(1)


def call(name: str, *args):
    """Run `name` ("package.module:function") with `args`."""
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)(*args)

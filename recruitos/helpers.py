"""
What a `spawn`ed helper process runs: Django set up first, then the function named.

A helper unpickles the callables it is given before it runs anything, importing their modules;
one that defines models or serializers cannot be imported before `django.setup()`. So a helper
is given these two, from a module that imports nothing of Django's at its top, and the function
to run by its dotted name (`imports.checking` checks an import's rows this way).
"""

import importlib


def setup() -> None:
    """The helper's initializer: Django's settings, apps and logging, as in the process that started it."""
    import django

    django.setup()


def call(name: str, *args):
    """Run `name` ("package.module:function") with `args`."""
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)(*args)

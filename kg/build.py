"""The pipeline's old module name, for tests/test_viz.py, tests/test_browser.py and
benchmarks/viz.py until they import kg.pipeline (the viz package's branch changes them).

Importing a submodule binds its name in the package, so importing this one replaces
the library's ``kg.build``; the module is made callable as that function, so
``kg.build(inputs, out)`` keeps working either way. Remove it with those imports.
"""
import sys
import types

from kg.pipeline import build  # noqa: F401


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from kg.api import build as api_build

        return api_build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

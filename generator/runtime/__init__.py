"""The runtime every generated package carries, as plain Python.

Each module here is copied byte for byte into the packages that use it (see
``render.RUNTIME``, ``render.OPTIONAL_RUNTIME`` and ``render.FAKE_RUNTIME``), so it is linted, type-checked and
unit-tested where it lives. ``_settings.py`` is the one exception: a stand-in for the
data module each package generates, never copied.
"""

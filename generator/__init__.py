"""lmsgen: typed clients, serializers, fake servers and contract tests from LMS API specs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lmsgen")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0"

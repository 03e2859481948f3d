"""lmsgen: typed clients, serializers, fake servers and contract tests from LMS API specs."""

__version__ = "0.1.0"

"""Frontends: each reads one spec format into IR parts."""

"""The runtime every generated package carries, as plain Python copied verbatim."""

"""Helpers and test data shared by several test folders; plain modules, never collected as tests."""

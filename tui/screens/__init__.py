"""Screens margin pushes over the main one (full-screen views and small prompts)."""

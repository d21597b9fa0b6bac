"""Levels: level files (schema, loading with line-numbered errors), goal predicates, checking
and grading. Nothing here imports Textual or Rich, and nothing here runs code from a level file.
"""

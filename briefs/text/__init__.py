"""Pure text functions: Markdown, citations, glossary, jargon, readability.

Nothing here reads the database (import-linter contract "text is pure").
"""

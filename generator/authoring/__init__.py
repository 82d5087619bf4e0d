"""Tools for the people who write content: scaffolds, spreadsheet import, translations, safe edits.

Nothing here knows MkDocs or the command line; the CLI (generator/cli) is a thin layer on top.
"""

"""Reading import files (CSV/XLSX) into checked rows, shared by every kind of import.

An import is all-or-nothing: a kind's `plan` reads every row and collects every problem with
its spreadsheet row number and column; only a plan without errors is applied, in one
transaction, with bulk statements.
"""

from lawlearn.imports.reader import Column, ImportFileError, Row, RowError, read_table

__all__ = ["Column", "ImportFileError", "Row", "RowError", "read_table"]

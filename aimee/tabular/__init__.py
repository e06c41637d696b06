"""Spreadsheet files in and out: CSV (UTF-8 or Shift_JIS/CP932) and Excel
(.xlsx). Knows file formats only: no database, no validation of values.
Text cells are written formula-safe and read back as they were (``formulas``)."""

from aimee.tabular.formulas import Verbatim
from aimee.tabular.read import FileFormatError, Sheet, SheetRow, read_sheet
from aimee.tabular.write import FORMATS, UnencodableText, write_sheet

__all__ = [
    "FORMATS",
    "FileFormatError",
    "Sheet",
    "SheetRow",
    "UnencodableText",
    "Verbatim",
    "read_sheet",
    "write_sheet",
]

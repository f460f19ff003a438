"""Spreadsheet files for organisers: CSV that Excel and LibreOffice open with the right characters and columns,
and XLSX whose cells hold whatever an attendee typed. Every export of ours writes its cells through here.

- CSV: UTF-8 with a byte-order mark (without it Excel on Windows reads Cyrillic as cp1251), every text cell in
  quotes, so that a comma, a semicolon (the list separator of Russian and most European Excels) or a line break
  inside a cell never splits it, and defusedcsv's guard against cells a spreadsheet would run as formulas.
- XLSX: text cells always text (never a formula), with the characters XML 1.0 cannot hold dropped: an attendee's
  badge name with U+FFFF or a control character would otherwise make the whole workbook fail to write.
"""

import csv
import io
from datetime import datetime, time

from defusedcsv import csv as defused_csv
from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from wagtail.admin.views.mixins import Echo

from .text_input import exportable_text

BYTE_ORDER_MARK = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_text(value):
    """`value` fit for any spreadsheet cell: text without the characters XML 1.0 cannot hold; other values as
    they are (a lazily translated label becomes its text)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return exportable_text(value)
    return value


def csv_writer(stream):
    """A writer for our CSV files onto `stream` (anything with write()): text quoted, numbers bare, formulas
    defused. Write the BYTE_ORDER_MARK first."""
    return defused_csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC)


def csv_row(writer, cells):
    """Write one row of `cells`, each made fit for a cell (the writer defuses formulas); a time of day as a clock
    shows it, 09:15."""
    return writer.writerow([cell.strftime("%H:%M") if isinstance(cell, time) else cell_text(cell) for cell in cells])


def csv_response(rows, *, filename):
    """A CSV download of `rows` (the first one the header)."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BYTE_ORDER_MARK)
    writer = csv_writer(response)
    for row in rows:
        csv_row(writer, row)
    return response


def xlsx_cells(worksheet, cells, *, date_format="yyyy-mm-dd hh:mm"):
    """Write-only cells for one row: text kept text, moments as dates in `date_format`, times of day as 09:15."""
    # Imported here like Wagtail does: openpyxl is only needed when a workbook is written.
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    for value in cells:
        cell = WriteOnlyCell(worksheet, cell_text(value))
        if cell.data_type == "f":  # openpyxl takes a leading "=" for a formula: an attendee's text stays text
            cell.data_type = "s"
        if isinstance(value, datetime):
            cell.number_format = date_format
        elif isinstance(value, time):
            cell.number_format = "hh:mm"
        yield cell


def xlsx_response(sheets, *, filename):
    """An XLSX download with one worksheet per (title, rows) of `sheets` (each sheet's first row its header)."""
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title=cell_text(title)[:31])
        for row in rows:
            worksheet.append(xlsx_cells(worksheet, row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class OrganiserSpreadsheetMixin:
    """For Wagtail index views that export (SpreadsheetExportMixin): the CSV and XLSX written as above. Put it
    before the Wagtail view in the bases."""

    def get_heading(self, queryset, field):
        return cell_text(super().get_heading(queryset, field))

    def preprocess_field_value(self, field, value, export_format):
        return cell_text(super().preprocess_field_value(field, value, export_format))

    def stream_csv(self, queryset):
        # Wagtail streams the CSV: its rows are written after the view has returned, when the admin's language
        # (Wagtail's translation.override around the view) is no longer active.
        return _in_language(translation.get_language(), self._csv_lines(queryset))

    def _csv_lines(self, queryset):
        writer = csv_writer(Echo())
        yield BYTE_ORDER_MARK.encode()
        yield csv_row(writer, [self.get_heading(queryset, field) for field in self.list_export])
        for item in queryset:
            row = self.to_row_dict(item)
            yield csv_row(writer, [self.preprocess_field_value(field, row[field], self.FORMAT_CSV) for field in row])

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = CSV_CONTENT_TYPE
        return response


def _in_language(language, lines):
    """Yield from `lines`, each made with `language` active (and only while it is made)."""
    lines = iter(lines)
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line

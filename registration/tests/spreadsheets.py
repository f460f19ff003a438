"""Reading the organisers' exports back as their spreadsheet programs do: Python's csv (UTF-8 with its byte-order
mark), openpyxl, and LibreOffice headless (`soffice --convert-to`), Debian's libreoffice-calc-nogui."""

import csv
import io
import os
import shutil
import subprocess

import openpyxl
import pytest

# LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1.
UTF8_CSV = "CSV:44,34,76,1"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    """The rows of a CSV download, read the way Excel does: UTF-8 after the byte-order mark."""
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"), newline="")))


def xlsx_rows(data, sheet=None):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook[sheet] if sheet else workbook.active
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def soffice():
    """The LibreOffice binary; the test is skipped without it, unless REQUIRE_CONSUMERS=1 (CI), where it fails."""
    binary = shutil.which("soffice")
    if binary is None:
        message = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
        if os.environ.get("REQUIRE_CONSUMERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def libreoffice_convert(source, *, to, folder, infilter=None):
    """Open `source` in LibreOffice and save it as `to` ("xlsx", or a csv filter) into `folder`; the new file's
    path. A profile of its own per call, so that parallel runs never share LibreOffice's lock."""
    out = folder / "converted"
    command = [
        soffice(),
        f"-env:UserInstallation=file://{folder / 'profile'}",
        "--headless",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        to,
        "--outdir",
        str(out),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    extension = to.split(":")[0]
    converted = out / f"{source.stem}.{extension}"
    assert converted.exists(), f"soffice did not convert {source.name}: {result.stdout}\n{result.stderr}"
    return converted

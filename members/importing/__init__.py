"""Bringing a roster spreadsheet (XLSX or CSV) into the member registry, safely.

The pipeline, each step in its own module:

- `reading`: open the file (XLSX streamed with openpyxl read_only, CSV streamed with the encoding
  detected or chosen: UTF-8, UTF-8 with BOM, Windows-1258, TCVN3), find the header row, refuse
  malformed files with a clear message;
- `headers`: recognise the usual Vietnamese (and English) column headers, plus the mappings an
  official made by hand before (`ImportMapping`);
- `values`: turn cell values into field values (dd/mm/yyyy, Excel serial dates, year-only dates,
  choices by label, yes/no, card numbers that lost their leading zero; a citizen ID is never padded);
- `services`: the job (create → map → preview → commit). The preview validates every row, matches it
  to a member (by party card number, else citizen ID), and records new / changed (old → new) /
  unchanged / error rows and the members of the covered cells missing from the file. Every check of a row
  runs and names its problem with its column. A row matched to a member whose name and date of birth both
  differ (or whose identifiers name two members) is an identity conflict: the commit waits until the officer
  decides it (`import_row_decide`: same person / different person / skip). The commit
  applies the valid rows through `members.services` so validation and the change log are the same as
  everywhere, with the change-log source "import" and the reason naming the job.

Year-only dates: `date_of_birth` (and the other dates) are DateFields, so "1958" is stored as
1 January 1958 and a `MemberReviewFlag` of kind PARTIAL_DATE names the field; a year-only value in the
file matches an existing full date in the same year (the file is less precise, not different).
Empty cells never clear a value already on the record.
"""

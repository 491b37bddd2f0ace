"""Uploads on the web side: a hard cap while the request is read, bounded reading of tabular
uploads, and the clean-up of temporary files a killed worker leaves behind.

The checks themselves are framework-free, in `partnership.lib.uploads`; this module holds
what needs Django (the upload handler, settings, the uploaded-file object).

**Reading a spreadsheet or CSV someone uploads** (performance returns do this; bulk
onboarding of people should too)::

    from partnership.lib.uploads import FileRefused, TableLimits
    from partnership.web.uploads import upload_rows

    LIMITS = TableLimits(max_bytes=2 * MB, max_rows=2_000, max_columns=20)
    try:
        for number, values in upload_rows(form.cleaned_data["file"], limits=LIMITS):
            ...  # check each row; collect errors as (row, column, message)
    except FileRefused as error:
        form.add_error("file", str(error))  # nothing saved

The form field should be an `UploadField(extensions=(".xlsx", ".csv"), max_bytes=...)` with
the same byte cap. Report errors capped (`errors_capped`): the first 100 and the total.
"""

import datetime as dt
import io
from collections.abc import Iterator

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from partnership.lib.uploads import TableLimits, stale_files_remove, table_rows

ERRORS_SHOWN = 100


class OversizeUpload(UploadedFile):
    """What is left of a file past the site's upload cap: its name and how many bytes came,
    with no content, so the form refuses it by size."""

    def __init__(self, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset, content_type_extra)


class CappedUploadHandler(FileUploadHandler):
    """First of `FILE_UPLOAD_HANDLERS`: past `UPLOAD_MAX_BYTES`, a file's further bytes are
    counted but not passed on to be stored, so a 2GB upload never reaches the disk; the form
    then sees an `OversizeUpload` and says the file is too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        over = self.received > settings.UPLOAD_MAX_BYTES
        self.received += len(raw_data)
        if self.received <= settings.UPLOAD_MAX_BYTES:
            return raw_data
        if not over and self.request is not None:
            # The handlers after this one drop what they had of the file (the temporary
            # file handler deletes its file now, not when the request is collected).
            for handler in self.request.upload_handlers:
                if handler is not self:
                    handler.upload_interrupted()
        return None

    def file_complete(self, file_size):
        if self.received > settings.UPLOAD_MAX_BYTES:
            return OversizeUpload(
                self.file_name,
                self.content_type,
                self.received,
                self.charset,
                self.content_type_extra,
            )
        return None


def upload_rows(upload: UploadedFile, *, limits: TableLimits) -> Iterator[tuple[int, list]]:
    """The rows of an uploaded XLSX or CSV as (row number, values), within `limits`: see
    `partnership.lib.uploads.table_rows`. Raises FileRefused (when called, for what can be
    told before parsing; while iterating, for the row and column caps)."""
    return table_rows(upload.file, name=upload.name, size=upload.size, limits=limits)


def errors_capped(errors: list, shown: int = ERRORS_SHOWN) -> tuple[list, int]:
    """The first `shown` errors and how many there are in all."""
    return errors[:shown], len(errors)


def temp_uploads_clean(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete temporary uploads (in `FILE_UPLOAD_TEMP_DIR`) older than a day: a worker
    killed mid-request leaves its file there. Returns how many went."""
    directory = settings.FILE_UPLOAD_TEMP_DIR
    if not directory:
        return 0
    return stale_files_remove(directory, older_than=older_than)

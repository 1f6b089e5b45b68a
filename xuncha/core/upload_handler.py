"""Receiving files: in memory up to the limits, measured beyond them, never dropped in silence.

Django's memory handler steps aside when a request body is larger than FILE_UPLOAD_MAX_MEMORY_SIZE,
and with no other handler the files simply vanish: a 300 MB video was dropped and a receipt issued. This
handler keeps each file in memory while it and the request's files together stay within the limits of
`uploads` (a reporter's original photo must never be written to the server's disk), and past them keeps
counting but no longer keeps the bytes: the file arrives with its real size and no content, so
`check_uploads` refuses it by name and size before anything is stored, and the form comes back with
the text the reporter typed.
"""

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from xuncha.core import uploads


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.kept = 0  # bytes held in memory for this request's files
        self.buffer = BytesIO()
        self.size = 0
        self.keeping = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer, self.size, self.keeping = BytesIO(), 0, True
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        largest, total = max(uploads.LIMITS.values()), uploads.MAX_TOTAL
        if self.keeping and (self.size > largest or self.kept + len(raw_data) > total):
            self.keeping = False  # over a limit: from here on only counted
            self.kept -= self.buffer.tell()
            self.buffer = BytesIO()
        if self.keeping:
            self.buffer.write(raw_data)
            self.kept += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.size,  # the size received, also when the bytes were not kept
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

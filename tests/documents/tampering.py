"""Ways a signed document gets changed after signing."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One character of the page's text changed (inside the first signed byte range)."""
    index = pdf.index(b"Receipt")
    return pdf[:index] + b"X" + pdf[index + 1 :]


def append_update(pdf: bytes) -> bytes:
    """A proper incremental update after the signature: text drawn over the page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"BT /F1 40 Tf 72 400 Td (APPROVED) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

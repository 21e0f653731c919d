"""A one-page PDF to sign, written with pyHanko's writer (the real renderer is WeasyPrint,
in renderers/pdf; these tests need only a valid page)."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

A4 = (0, 0, 595.28, 841.89)


def one_page_pdf(text: str = "Receipt MD-7K4-Q9X-PAH") -> bytes:
    writer = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {
            generic.NameObject("/Font"): generic.DictionaryObject(
                {generic.NameObject("/F1"): writer.add_object(font)}
            )
        }
    )
    content = generic.StreamObject(stream_data=f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode())
    page = PageObject(contents=writer.add_object(content), media_box=A4, resources=resources)
    writer.insert_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

"""The briefing check's reading of printed text sizes from a PDF's content streams."""

from __future__ import annotations

from analysis.publish import briefing


def _pdf(path, page: bytes, form: bytes) -> None:
    """A one-page PDF whose page draws `page` and a form XObject /X1 drawing `form` at half size."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page),
               b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [0.5 0 0 0.5 0 0] "
               b"/Resources << /Font << /F1 6 0 R >> >> /Length %d >>\n"
               b"stream\n%s\nendstream" % (len(form), form),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_sizes_follow_the_text_matrix_the_transformations_and_a_form_xobject(tmp_path):
    pdf = tmp_path / "sizes.pdf"
    page = (b"q 2 0 0 2 0 0 cm BT /F1 9 Tf 1 0 0 1 10 10 Tm (Doubled) Tj ET Q\n"  # 18 pt, and Q undoes the cm
            b"BT /F1 12 Tf 1 0 0 -1 10 50 Tm (Plain (with brackets)) Tj 0 14 Td [(Kerned) -20 (run)] TJ ET\n"
            b"BT /F1 8 Tf 0.75 0 0 0.75 10 90 Tm <0041> Tj ET\n"  # 6 pt
            b"/X1 Do")
    form = b"BT /F1 14 Tf 1 0 0 1 10 150 Tm (In the form) Tj ET"  # 7 pt: drawn at half size
    _pdf(pdf, page, form)
    assert [(n, round(size, 2)) for n, size in briefing.drawn_sizes(pdf)] == [(1, 18), (1, 12), (1, 12), (1, 6),
                                                                               (1, 7)]
    # pypdf, which names small text for the check, reads the same sizes, but not the text inside the form.
    named = {(text, round(size, 2)) for _, size, text in briefing.text_sizes(pdf)}
    assert {("Doubled", 18), ("Plain (with brackets)", 12), ("Kernedrun", 12)} <= named

"""Which text encoding an imported file uses: decided once per file.

Agency PCs save "CSV" from Excel in Windows-1252, "CSV UTF-8" with a byte-order
mark, and "Unicode text" in UTF-16 with one; HR and CLETS exports are mostly plain
UTF-8. The rule (issue 10): a byte-order mark says what it is; otherwise the bytes
are UTF-8 if they decode strictly as UTF-8, else Windows-1252 -- so ``Muñoz``
arrives intact whichever Excel wrote it.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(head: bytes) -> str:
    """The Python codec for a file that begins with ``head`` (its first bytes, or
    all of it): ``utf-8-sig``, ``utf-16``, ``utf-8`` or ``cp1252``. A multi-byte
    character cut off at the end of ``head`` does not count against UTF-8."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"

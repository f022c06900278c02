"""TCVN3 (TCVN 5712:1993, "ABC"), the 8-bit Vietnamese encoding of .VnTime fonts still found in old files.

Bytes below 0x80 are ASCII. TCVN3 has precomposed lower-case letters and only seven upper-case
ones (Ă Â Ê Ô Ơ Ư Đ): old documents wrote the other capitals with a separate upper-case font
(.VnTimeH) using the lower-case codes, so those come out in lower case and cannot be recovered.
Bytes not in the table are decoded as Latin-1 (they are rare punctuation in practice).
"""

import codecs

_TABLE = {
    # a
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xA8: "ă", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xA9: "â", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    # d
    0xAE: "đ",
    # e
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xAA: "ê", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    # i
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    # o
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xAB: "ô", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xAC: "ơ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    # u
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xAD: "ư", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    # y
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    # the seven capitals
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
}  # fmt: skip

TCVN3_LETTERS = frozenset(_TABLE.values())
# Bytes outside the table read as Latin-1, unless that character is a TCVN3 letter (then undefined).
DECODING_TABLE = "".join(_TABLE.get(byte, "\ufffe" if chr(byte) in TCVN3_LETTERS else chr(byte)) for byte in range(256))
ENCODING_TABLE = codecs.charmap_build(DECODING_TABLE)


class _Codec(codecs.Codec):
    def encode(self, text, errors="strict"):
        return codecs.charmap_encode(text, errors, ENCODING_TABLE)

    def decode(self, data, errors="strict"):
        return codecs.charmap_decode(data, errors, DECODING_TABLE)


class _IncrementalDecoder(codecs.IncrementalDecoder):
    def decode(self, data, final=False):
        return codecs.charmap_decode(data, self.errors, DECODING_TABLE)[0]


class _IncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, text, final=False):
        return codecs.charmap_encode(text, self.errors, ENCODING_TABLE)[0]


class _StreamReader(_Codec, codecs.StreamReader):
    pass


class _StreamWriter(_Codec, codecs.StreamWriter):
    pass


def _search(name: str):
    if name.replace("-", "").replace("_", "").lower() != "tcvn3":
        return None
    return codecs.CodecInfo(
        name="tcvn3",
        encode=_Codec().encode,
        decode=_Codec().decode,
        incrementalencoder=_IncrementalEncoder,
        incrementaldecoder=_IncrementalDecoder,
        streamreader=_StreamReader,
        streamwriter=_StreamWriter,
    )


codecs.register(_search)

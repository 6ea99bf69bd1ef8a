#!/usr/bin/env python3
"""Writes the regression corpus of the conformance suite: one minimized
message per interop bug found, each listed with what it checks in
INDEX.tsv.  `python3 generate.py [DIR]` (default: this folder);
conformance/test_corpus.py regenerates them and checks the files here are
what this script writes, then runs each case's check.

Every message is built from fixed octets (no key, no clock), so the
output never changes; signatures are placeholders, as no check here
verifies one.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conflib.der import tlv  # noqa: E402


def H(s):
    return bytes.fromhex(s.replace(" ", ""))


SHA1_ALG = tlv(0x30, H("06052B0E03021A 0500"))
SHA256_ALG = tlv(0x30, H("0609608648016503040201 0500"))
MGF1 = H("06092A864886F70D010108")
PSS = H("06092A864886F70D01010A")


def response(sig_alg, signature=H("00DEADBEEF"), status=H("8000"), this=b"20261122000000Z",
             next=b"20261129000000Z", produced=b"20261122010000Z", single_exts=b""):
    """A successful response about serial 01 (good unless status says
    otherwise), named byKey, with the given signatureAlgorithm."""
    cert_id = tlv(0x30, SHA1_ALG + tlv(0x04, bytes(range(1, 21))) + tlv(0x04, bytes(range(0xA1, 0xB5))) +
                  tlv(0x02, H("01")))
    single = tlv(0x30, cert_id + status + tlv(0x18, this) + tlv(0xA0, tlv(0x18, next)) + single_exts)
    rdata = tlv(0x30, tlv(0xA2, tlv(0x04, bytes(range(1, 21)))) + tlv(0x18, produced) + tlv(0x30, single))
    basic = tlv(0x30, rdata + sig_alg + tlv(0x03, signature))
    return tlv(0x30, H("0A0100") + tlv(0xA0, tlv(0x30, H("06092B0601050507300101") + tlv(0x04, basic))))


CASES = {
    # RSASSA-PSS parameters in the text form (codec/print.c): ocspkit printed
    # none of them; `openssl ocsp -resp_text` prints them after "Signature Value:"
    "pss-params-explicit.der": response(tlv(0x30, PSS + tlv(0x30, tlv(0xA0, SHA256_ALG) + tlv(0xA1, tlv(
        0x30, MGF1 + SHA256_ALG)) + tlv(0xA2, H("020200DE")) + tlv(0xA3, H("020101"))))),
    "pss-params-defaults.der": response(tlv(0x30, PSS + tlv(0x30, b""))),
    "pss-params-absent.der": response(tlv(0x30, PSS)),
    "pss-params-mgf-unknown.der": response(tlv(0x30, PSS + tlv(0x30, tlv(0xA1, tlv(
        0x30, H("06092A864886F70D010109") + SHA256_ALG))))),
    # Fractional seconds (X.690 11.7) in every time of a response: ocspkit
    # refused them (DER_BAD_TIME); they are DER, Python responders write
    # them, and `openssl ocsp -resp_text` prints them after the seconds
    "time-fraction.der": response(
        tlv(0x30, H("06032B6570")), signature=H("00") + bytes(64),
        status=tlv(0xA1, tlv(0x18, b"20250101120000.25Z") + tlv(0xA0, H("0A0101"))),
        this=b"20261122000000.123Z", next=b"20261129000000.000001Z", produced=b"20261122010000.5Z",
        single_exts=tlv(0xA1, tlv(0x30, tlv(0x30, H("0603551D18") + tlv(0x04, tlv(0x18, b"20241231235959.9Z"))) +
                                  tlv(0x30, H("06092B0601050507300106") +
                                      tlv(0x04, tlv(0x18, b"20200101000000.75Z")))))),
}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(CASES.items()):
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()

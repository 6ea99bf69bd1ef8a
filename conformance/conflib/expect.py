"""What the PKI says a message about some of its certificates must hold:
the cases both decode and encode cells build messages from."""

from .pki import ALGS, REVOKED, even_hex

ALL_REVOKED = "all-revoked"


class Case:
    """ids: (hash, "cert"|"serial", target); nonce: True/False; req:
    options of Pki.request (or raw bytes); resp: options of Pki.respond,
    None for a request alone; issuer: "int" (the leaves' CA) or "root"."""

    def __init__(self, name, ids=(), nonce=False, req=None, resp=None, algs=ALGS, issuer="int"):
        self.name, self.ids, self.nonce, self.req, self.resp = name, ids, nonce, req or {}, resp
        self.algs, self.issuer = algs, issuer


def expand_ids(p, ids):
    out = []
    for h, how, target in ids:
        if target == ALL_REVOKED:
            out += [(h, how, name) for name in REVOKED]
        else:
            out.append((h, how, target))
    return out


def target_info(p, target):
    """(serial, status, revocation time, reason) of a target of the PKI."""
    if target == "int":
        return 0x100, "good", None, None
    if target == "old-int":
        return 0x200, "revoked", "2023-01-01T00:00:00Z", "cACompromise"
    leaf = p.leaves[target]
    if target == "never-issued":
        return leaf.serial, "unknown", None, None
    if leaf.revinfo:
        return leaf.serial, "revoked", leaf.revocation_time, leaf.reason
    return leaf.serial, "good", None, None


def expected_entry(p, hash_name, target, level="int"):
    serial, status, rtime, reason = target_info(p, target)
    return {"certID": {"hashAlgorithm": hash_name, "issuerNameHash": p.issuer_name_hash(hash_name, level),
                       "issuerKeyHash": p.issuer_key_hash(hash_name, level), "serialNumber": even_hex(serial)},
            "certStatus": status, "revocationTime": rtime, "revocationReason": reason}



#!/usr/bin/env python3
"""Writes conformance/REPORT.md and REPORT.json from the results the suite
recorded (conftest.py, CONFORMANCE_RESULTS_DIR): every number comes from
the run.

    report.py [--md REPORT.md] [--json REPORT.json] RESULTS.json...
"""

import argparse
import collections
import datetime
import json
import sys
from pathlib import Path

AREAS = [
    ("decode", "1. Decode conformance", "Messages written by openssl ocsp, pyca/cryptography and GnuTLS, read by "
     "ocspkit print and compared field by field (and line by line) with OpenSSL's and pyca's reading, and the "
     "verification verdicts of ocspkit verify and openssl ocsp on them."),
    ("encode", "2. Encode conformance", "Requests written by ocspkit, read and answered by OpenSSL and read by "
     "pyca; responses signed by ocspkit, verified by OpenSSL, GnuTLS and pyca, with the index's fields."),
    ("live", "3. Live over loopback", "`openssl ocsp -url` and `ocsptool --ask` against `ocspkit serve`; "
     "`ocspkit fetch` against `openssl ocsp -port`."),
    ("vectors", "4. Peer vectors", "../shared/vectors and Debian's python3-cryptography-vectors, with the outcome "
     "their projects' tests expect."),
    ("negative", "5. Negative corpus", "Systematic mutations of valid messages, each rejected with the error "
     "derived from the mutation, and what the peers make of them."),
    ("crl", "6. CRLs", "CRLs written by openssl ca, GnuTLS certtool and pyca/cryptography, read by ocspkit "
     "print and ocspkit crl and compared with openssl crl -text, pyca's loader and openssl crl -verify; "
     "NIST PKITS's and pyca's CRLs; the negative corpus applied to CRLs."),
    ("crl-live", "7. CRLs live", "`openssl ocsp -url` and `ocsptool --ask` against `ocspkit serve --crl`: every "
     "revocation form of openssl ca, --issued, delta CRLs, a CRL URL refreshed, refused CRLs, stale CRLs, the "
     "answers' times, index.txt and CRL in one serve, SIGHUP."),
    ("corpus", "Regression corpus", "conformance/corpus/: one minimized case per interop bug found."),
]

# The classes of fuzz/DIFFERENCES.md each mutation class (or variant) falls in
DIFF_IDS = {
    ("length-nonminimal", None): "D03", ("length-indefinite", None): "D04", ("tag-high-form", None): "D05",
    ("trailing", "after-message"): "D06", ("trailing", "in-octet-string"): "D07",
    ("integer-padded", None): "D09", ("explicit-default", None): "D12", ("time-bad", None): "D16/D17",
    ("truncated", None): "D01", ("tag-form", "to-constructed"): "D08",
}
ENUM_IDS = {("enum-range", "OCSPResponseStatus"): "O01", ("enum-range", "CRLReason"): "O02",
            ("enum-range", "version"): "O05"}
PEERS = [("openssl", ["accept", "prefix", "basic-reject", "reject"]), ("gnutls", ["accept", "partial", "reject"]),
         ("pyca", ["accept", "reject"])]
SHORT = {"accept": "acc", "prefix": "prefix", "basic-reject": "basic-rej", "reject": "rej", "partial": "partial"}


def load(paths):
    tests, data, envs, durations = [], {}, [], {}
    for p in paths:
        d = json.loads(Path(p).read_text())
        tests += d["tests"]
        for k, v in d["data"].items():
            if k == "negative" and k in data:
                data[k]["rows"] += v["rows"]
            else:
                data[k] = v
        envs.append(d["env"])
        durations[Path(p).stem] = d["duration"]
    return tests, data, envs, durations


def summarize(tests):
    areas = collections.OrderedDict()
    for t in tests:
        a = areas.setdefault(t["area"], {"run": 0, "passed": 0, "failed": 0, "skipped": 0, "cells": {},
                                         "skip_reasons": collections.Counter(), "failures": []})
        c = a["cells"].setdefault(t["cell"], {"doc": t["cell_doc"], "run": 0, "passed": 0, "failed": 0,
                                              "skipped": 0, "skip_reasons": collections.Counter()})
        for x in (a, c):
            x["run"] += 1
            x[t["outcome"]] = x.get(t["outcome"], 0) + 1
            if t["outcome"] == "skipped":
                x["skip_reasons"][t["reason"] or "?"] += 1
        if t["outcome"] == "failed":
            a["failures"].append("%s: %s" % (t["test"], t["reason"]))
    return areas


def negative_tables(neg):
    rows = neg["rows"]
    by_cls = collections.OrderedDict()
    by_sub = collections.OrderedDict()
    for r in rows:
        for key, table in (((r["cls"],), by_cls), ((r["cls"], r["sub"]), by_sub)):
            e = table.setdefault(key, {"n": 0, "as_expected": 0, "ocspkit_accepts": 0,
                                       "errors": collections.Counter(),
                                       "peers": {p: collections.Counter() for p, _ in PEERS}})
            e["n"] += 1
            e["as_expected"] += bool(r["as_expected"])
            e["ocspkit_accepts"] += r["ocspkit"] == "accept"
            e["errors"][r["ocspkit_error"] or "accepted"] += 1
            for p, _ in PEERS:
                if r.get(p) is not None:
                    e["peers"][p][r[p]] += 1
    return by_cls, by_sub


def verdicts(counter, order):
    n = sum(counter.values())
    if not n:
        return "-"
    return " · ".join("%s %d" % (SHORT[v], counter[v]) for v in order if counter.get(v))


def fmt_reasons(reasons):
    return "; ".join("%s (%d)" % (r, n) for r, n in reasons.most_common())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--md", default=str(Path(__file__).resolve().parent / "REPORT.md"))
    ap.add_argument("--json", default=None)
    ap.add_argument("results", nargs="+")
    args = ap.parse_args()
    tests, data, envs, durations = load(args.results)
    if not tests:
        sys.exit("report.py: no test results in %s" % " ".join(args.results))
    areas = summarize(tests)
    env = {k: v for e in envs for k, v in e.items() if v not in (None, "")}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = []
    w = md.append
    w("# ocspkit conformance report")
    w("")
    w("Generated by `make conformance-report` (conformance/report.py) on %s from the results of %d pytest "
      "session(s) of conformance/; every number below comes from that run." % (now, len(envs)))
    w("")
    w("- peers: %s; %s; %s; GnuTLS ocsptool %s" % (env.get("openssl", "OpenSSL: missing"),
                                                  env.get("gnutls", "GnuTLS: missing"),
                                                  env.get("pyca", "pyca/cryptography: missing"),
                                                  "present" if env.get("ocsptool") else "missing"))
    w("- ocspkit: `%s`%s; %s set; Python %s" % (
        env.get("ocspkit"), (" under `%s`" % env["wrapper"][:60]) if env.get("wrapper") else "",
        "full (CONFORMANCE_FULL=1)" if any(e.get("full") for e in envs) else "make check",
        env.get("python")))
    w("- time: %s" % ", ".join("%s %.0f s" % (k, v) for k, v in sorted(durations.items())))
    w("")
    w("## Summary")
    w("")
    w("| area | cases run | passed | failed | skipped | skipped because |")
    w("|------|----------:|-------:|-------:|--------:|-----------------|")
    tot = collections.Counter()
    for key, title, _ in AREAS:
        a = areas.get(key)
        if not a:
            w("| %s | 0 | 0 | 0 | 0 | not run |" % title)
            continue
        tot.update({k: a[k] for k in ("run", "passed", "failed", "skipped")})
        w("| %s | %d | %d | %d | %d | %s |" % (title, a["run"], a["passed"], a["failed"], a["skipped"],
                                              fmt_reasons(a["skip_reasons"]) or "-"))
    w("| **all** | **%d** | **%d** | **%d** | **%d** | |" % (tot["run"], tot["passed"], tot["failed"],
                                                           tot["skipped"]))
    w("")
    neg = data.get("negative")
    by_cls = by_sub = None
    if neg:
        by_cls, by_sub = negative_tables(neg)
        w("The negative corpus counts one case per test above for each mutation class; it holds %d mutations of "
          "%d base messages (below)." % (len(neg["rows"]), len(neg["bases"])))
        w("")
    for key, title, what in AREAS:
        a = areas.get(key)
        w("## %s" % title)
        w("")
        w(what)
        w("")
        if not a:
            w("Not run.")
            w("")
            continue
        w("| cell | what it checks | run | passed | failed | skipped |")
        w("|------|----------------|----:|-------:|-------:|--------:|")
        for name, c in a["cells"].items():
            w("| `%s` | %s | %d | %d | %d | %d |" % (name, c["doc"], c["run"], c["passed"], c["failed"],
                                                  c["skipped"]))
        w("")
        for name, c in a["cells"].items():
            if c["skip_reasons"]:
                w("- `%s` skipped: %s" % (name, fmt_reasons(c["skip_reasons"])))
        for f in a["failures"][:30]:
            w("- FAILED %s" % f)
        if any(c["skip_reasons"] for c in a["cells"].values()) or a["failures"]:
            w("")
        if key == "decode" and data.get("decode_corpus"):
            dc = data["decode_corpus"]
            w("The corpus of this run: %s." % ", ".join("%d %s" % (n, k.replace("hand", "handmade")) + "s"
                                                       for k, n in sorted(dc["messages"].items())))
            for alg, why in sorted(dc["pyca_skips"].items()):
                w("- no pyca-made messages for %s: %s" % (alg, why))
            w("")
        if key == "vectors":
            vector_section(w, data)
        if key == "corpus":
            corpus_section(w)
        if key == "negative" and neg:
            negative_section(w, neg, by_cls, by_sub)
        if key == "crl":
            crl_section(w, data)
        if key == "crl-live":
            crl_live_section(w, data)
    summary = {"generated": now, "env": env, "durations": durations,
               "areas": {k: {"run": a["run"], "passed": a["passed"], "failed": a["failed"], "skipped": a["skipped"],
                             "skip_reasons": dict(a["skip_reasons"]),
                             "cells": {n: {kk: (dict(vv) if isinstance(vv, collections.Counter) else vv)
                                           for kk, vv in c.items()} for n, c in a["cells"].items()}}
                         for k, a in areas.items()},
               "negative": None if not neg else {
                   "bases": neg["bases"], "undetermined_sites": neg["undetermined"],
                   "read_as_other_kind": neg["other_kind"],
                   "classes": {"/".join(k): {"n": e["n"], "as_expected": e["as_expected"],
                                             "ocspkit_accepts": e["ocspkit_accepts"], "errors": dict(e["errors"]),
                                             "peers": {p: dict(c) for p, c in e["peers"].items()}}
                               for k, e in list(by_cls.items()) + list(by_sub.items())}},
               "vectors": {k: v for k, v in data.items() if k.startswith("vectors")},
               "crl_live": data.get("crl_live")}
    Path(args.md).write_text("\n".join(md).rstrip() + "\n")
    jpath = args.json or str(Path(args.md).with_suffix(".json"))
    Path(jpath).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    print("report.py: wrote %s and %s (%d cases, %d failed)" % (args.md, jpath, tot["run"], tot["failed"]))


def vector_section(w, data):
    lib, ver, cli, per = (data.get(k) for k in ("vectors_library", "vectors_verdicts", "vectors_cli",
                                                 "vectors_peers"))
    if lib:
        w("The library (tests/codec/test_vectors): %d checks; per decoder, items decoded strictly / refused "
          "(each refusal with its reason in tests/codec/vectors-expected.tsv) / rows under a tolerance flag / where "
          "OpenSSL 3.0 decides otherwise:" % lib["checks"])
        w("")
        w("| decoder | ok | refused | flag rows | OpenSSL differs |")
        w("|---------|---:|--------:|----------:|----------------:|")
        for dec, v in lib["decoders"].items():
            w("| %s | %d | %d | %d | %d |" % (dec, v["ok"], v["refused"], v["flag_rows"], v["openssl_differs"]))
        w("")
    if ver:
        w("Verification verdicts (tests/codec/test_validate_vectors): %d checks, the project's verdict at its stated "
          "time each." % ver["checks"])
        w("")
    if cli:
        w("The command line: %d OCSP messages through `ocspkit print --json`, %d accepted; each gives the "
          "table's strict outcome (%s left out: %s)." % (
              cli["items"], cli["accepted"], sum(cli["skipped"].values()),
              ", ".join("%s %d" % kv for kv in cli["skipped"].items()) or "none"))
        w("")
    if per:
        w("Acceptance of the same files by each peer (libraries: d2i_OCSP_* and OCSP_response_get1_basic, "
          "gnutls_ocsp_*_import, pyca's loader), and how many times each decides otherwise than ocspkit:")
        w("")
        w("| project | files | ocspkit accepts | OpenSSL accepts (differs) | GnuTLS accepts (differs) | "
          "pyca accepts (differs) |")
        w("|---------|------:|----------------:|---------------------------|--------------------------|"
          "------------------------|")
        for proj, v in per.items():
            cells = []
            for p in ("openssl", "gnutls", "pyca"):
                cells.append("%d (%d)" % (v.get("%s-accepts" % p, 0), v.get("%s-differs" % p, 0))
                             if "%s-accepts" % p in v or "%s-differs" % p in v else "-")
            w("| %s | %d | %d | %s |" % (proj, v["items"], v["ocspkit-accepts"], " | ".join(cells)))
        w("")


def corpus_section(w):
    index = Path(__file__).resolve().parent / "corpus" / "INDEX.tsv"
    rows = [l.split("\t") for l in index.read_text().splitlines() if l and not l.startswith("#")]
    w("The interop bugs found, one minimized case each (corpus/INDEX.tsv):")
    w("")
    for f in rows:
        w("- `%s` (%s, %s): %s" % (f[0], f[1], f[2], f[3]))
    w("")


def crl_section(w, data):
    made = data.get("crl")
    if made:
        w("CRLs of this run: %d (%s); read with --lax, as the peer writes them against RFC 5280: %s." % (
            len(made["crls"]), ", ".join(made["crls"]), ", ".join(made.get("lax") or []) or "none"))
        w("")
    pk = data.get("crl_pkits")
    if pk:
        w("NIST PKITS: %d CRLs, refused: %s." % (pk["files"], ", ".join("%s (%s)" % kv
                                                                     for kv in sorted(pk["refused"].items()))))
        w("")
    neg = data.get("crl_negative")
    if neg:
        w("### The negative corpus on CRLs")
        w("")
        by_cls, by_sub = negative_tables(neg)
        negative_section(w, neg, by_cls, by_sub)


def crl_live_section(w, data):
    rows = data.get("crl_live")
    if not rows:
        return
    w("What each client read of each answer `ocspkit serve` gave from a CRL (status, reason, revocation time, "
      "invalidity date; \"NOT verified\" when the client did not verify the signature; ocsptool prints no "
      "reason: the one shown is libgnutls's reading of the response ocsptool saved, which reads an absent "
      "reason as unspecified):")
    w("")
    w("| case | certificate | the CRL says | openssl ocsp | ocsptool |")
    w("|------|-------------|--------------|--------------|----------|")
    for r in rows:
        w("| %s | %s | %s | %s | %s |" % (r["case"], r["certificate"], r["expected"], r["openssl"] or "-",
                                          r["ocsptool"] or "-"))
    w("")


def negative_section(w, neg, by_cls, by_sub):
    w("Base messages (octets): %s." % ", ".join("`%s` %d" % kv for kv in neg["bases"].items()))
    w("Sites where the model cannot tell which error comes first generate no case: %s. Mutations that "
      "`ocspkit print` would read as the other kind of message are left out: %s." % (
          ", ".join("%s %d" % kv for kv in neg["undetermined"].items()) or "none",
          ", ".join("%s %d" % kv for kv in neg["other_kind"].items()) or "none"))
    w("")
    order = {c: i for i, c in enumerate(neg.get("class_order") or sorted(neg["classes"]))}
    w("| class | mutations | ocspkit: expected error | errors |")
    w("|-------|----------:|------------------------:|--------|")
    for (cls,), e in sorted(by_cls.items(), key=lambda kv: order.get(kv[0][0], 99)):
        w("| %s: %s | %d | %d | %s |" % (cls, neg["classes"].get(cls, ""), e["n"], e["as_expected"],
                                        ", ".join("%s %d" % (k.replace("OCSPKIT_E_", ""), n)
                                                  for k, n in e["errors"].most_common())))
    w("")
    w("### Differences on the negative corpus")
    w("")
    w("ocspkit rejects every case (column 3 counts those it rejects with exactly the error and offset derived "
      "from the mutation). The peers' verdicts, per variant: acc = accepts, rej = refuses, basic-rej = OpenSSL "
      "reads the OCSPResponse but not the BasicOCSPResponse in it, prefix = OpenSSL reads a message and leaves "
      "the octets after it, partial = GnuTLS imports the message but cannot read its status or first answer. "
      "The last column names the class of fuzz/DIFFERENCES.md the variant belongs to.")
    w("")
    w("| class / variant | cases | ocspkit rejects (as derived) | OpenSSL | GnuTLS | pyca | DIFFERENCES.md |")
    w("|-----------------|------:|-----------------------------:|---------|--------|------|----------------|")
    order = {c: i for i, c in enumerate(neg.get("class_order") or sorted(neg["classes"]))}
    for (cls, sub), e in sorted(by_sub.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        ids = DIFF_IDS.get((cls, sub)) or DIFF_IDS.get((cls, None)) or \
            next((v for (c, prefix), v in ENUM_IDS.items() if c == cls and sub.startswith(prefix)), "")
        w("| %s / %s | %d | %d (%d) | %s | %s | %s | %s |" % (
            cls, sub, e["n"], e["n"] - e["ocspkit_accepts"], e["as_expected"],
            *(verdicts(e["peers"][p], order) for p, order in PEERS), ids))
    w("")
    tot = collections.Counter()
    for e in by_cls.values():
        for p, order in PEERS:
            for v, n in e["peers"][p].items():
                tot[(p, v)] += n
    w("Over all %d mutations: OpenSSL %s; GnuTLS %s; pyca %s." % (
        sum(e["n"] for e in by_cls.values()),
        *(verdicts(collections.Counter({v: n for (pp, v), n in tot.items() if pp == p}), order)
          for p, order in PEERS)))
    w("")


if __name__ == "__main__":
    main()

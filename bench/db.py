#!/usr/bin/env python3
"""ocspkit serve nodes on a PostgreSQL database of many certificates (make
bench-db; issue 19; not part of make check).

A throwaway PostgreSQL (tests/lib/pg.py), CFSSL's schema and ocspkit's
trigger (sql/postgresql/), N rows for one CA (default 1,000,000; made by
generate_series in SQL, serials 4096.. in decimal, one in ten revoked),
then:

  start-up  NODES (default 3) `ocspkit serve --db postgresql://...`
            started one after another: seconds from the process start to
            the first answer from the database (the last serial, so the
            whole table is loaded), and the node's RSS then;
  latency   REVOCATIONS (default 100) UPDATEs, one at a time: from the
            statement sent (autocommit) to every node answering revoked,
            each node asked by POST every 2 ms; median and max over the
            revocations, and of the slowest node.

    bench/db.py OCSPKIT [N]
Environment: BENCH_NODES, BENCH_REVOCATIONS, BENCH_DATA keeps the files in
that directory.  Needs PostgreSQL's server (Debian: postgresql) and openssl.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRCDIR = HERE.parent
sys.path.insert(0, str(SRCDIR / "tests"))
sys.path.insert(0, str(SRCDIR / "tests" / "cli"))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.environ["OCSPKIT_BIN"] = str(Path(sys.argv[1]).resolve())
    os.environ.setdefault("OCSPKIT_SRCDIR", str(SRCDIR))
    os.environ["OCSPKIT_BUILDDIR"] = str(Path(sys.argv[1]).resolve().parent.parent)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    n_nodes = int(os.environ.get("BENCH_NODES", "3"))
    n_rev = int(os.environ.get("BENCH_REVOCATIONS", "100"))

    from lib import pg as pglib
    if pglib.MISSING:
        print("bench-db: skipped: " + pglib.MISSING)
        sys.exit(77)
    from responder_helpers import DemoPki, Server, cert_id, http, ocsp_request
    from test_responder import response_parts

    keep = os.environ.get("BENCH_DATA")
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="ocspkit-bench-db-"))
    root.mkdir(parents=True, exist_ok=True)
    pg = None
    nodes = []
    try:
        demo = DemoPki(root / "pki")
        aki = demo.key_hash("sha1").hex()
        pg = pglib.Postgres(root / "pg")
        pg.start()
        pg.apply_schema()
        t = time.monotonic()
        pg.sql("INSERT INTO certificates (serial_number, authority_key_identifier, ca_label, status, reason, "
               "expiry, revoked_at, pem) SELECT convert_to((g + 4096)::text, 'UTF8'), convert_to('%s', 'UTF8'), "
               "NULL, convert_to(CASE WHEN g %% 10 = 0 THEN 'revoked' ELSE 'good' END, 'UTF8'), "
               "CASE WHEN g %% 10 = 0 THEN 1 END, now() + interval '1 year', "
               "CASE WHEN g %% 10 = 0 THEN now() - interval '1 day' END, convert_to('-', 'UTF8') "
               "FROM generate_series(1, %d) g; ANALYZE certificates;" % (aki, n))
        print("database: %d rows for one CA, made in %.1f s (%s)" % (
            n, time.monotonic() - t, pg.sql("SELECT pg_size_pretty(pg_total_relation_size('certificates'))").strip()))

        def ask(node, serial):
            st, _, body = http(node.port, "POST", "/", ocsp_request([cert_id(demo, serial)]),
                               {"Content-Type": "application/ocsp-request"}, timeout=10)
            status, singles = response_parts(body)
            return singles[0][0] if status == 0 and singles else None

        last = n + 4096  # the last row made
        args = ["--db", pg.uri, "--db-passfile", pg.passfile(), "--CA", demo.ca, "--rsigner", demo.responder,
                "--rkey", demo.responder_key]
        print("\n%-6s %12s %10s" % ("node", "start-up s", "RSS MB"))
        for i in range(n_nodes):
            t = time.monotonic()
            node = Server(root / ("node%d" % i), args, name="node%d" % i)
            nodes.append(node)
            while ask(node, last) not in ("good", "revoked"):
                if time.monotonic() - t > 600:
                    raise SystemExit("node %d did not load in 600 s:\n%s" % (i, node.stderr()[-2000:]))
                time.sleep(0.02)
            print("%-6d %12.2f %10.1f" % (i, time.monotonic() - t, node.rss_kb() / 1024), flush=True)

        # a persistent psql: one statement, its echo, no process start per revocation
        psql = subprocess.Popen(pg._as_pg_argv([pglib.PSQL, "-X", "-q", "-At", "-h", str(pg.sockdir), "-p",
                                                str(pg.port), "-U", "postgres", "-d", "ocspkit"]),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        every, slowest_node = [], []
        for k in range(n_rev):
            serial = 4096 + 1 + 10 * k + 3  # good ones (g % 10 == 3)
            assert all(ask(nd, serial) == "good" for nd in nodes)
            t0 = time.monotonic()
            psql.stdin.write("UPDATE certificates SET status = 'revoked', reason = 1, revoked_at = now() "
                             "WHERE authority_key_identifier = '%s' AND serial_number = '%d';\n\\echo done\n"
                             % (aki, serial))
            psql.stdin.flush()
            pending = {i: None for i in range(len(nodes))}
            while any(v is None for v in pending.values()):
                for i, nd in enumerate(nodes):
                    if pending[i] is None and ask(nd, serial) == "revoked":
                        pending[i] = time.monotonic() - t0
                if time.monotonic() - t0 > 30:
                    raise SystemExit("revocation %d not seen by every node in 30 s: %s" % (k, pending))
                time.sleep(0.002)
            assert psql.stdout.readline().strip() == "done"
            every.append(max(pending.values()))
            slowest_node.append(max(pending, key=pending.get))
        psql.stdin.close()
        psql.wait(timeout=30)
        ms = [x * 1000 for x in every]
        print("\npropagation, commit -> every node answers revoked, over %d revocations:" % n_rev)
        print("  median %.1f ms, max %.1f ms, p90 %.1f ms (%d nodes, each asked every 2 ms)" % (
            statistics.median(ms), max(ms), sorted(ms)[int(0.9 * (len(ms) - 1))], len(nodes)))
    finally:
        for nd in nodes:
            nd.stop(expect=None)
        if pg:
            pg.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""A throwaway PostgreSQL server for the tests, from Debian's packages.

    pg = Postgres(workdir / "pg")   # initdb (skips the test when PostgreSQL is absent)
    pg.start()                      # loopback TCP on a free port, its unix socket in the directory
    pg.apply_schema()               # sql/postgresql/*.sql
    pg.insert_cert(aki, serial)     # a row as CFSSL writes it
    pg.sql("UPDATE ...")            # psql, as the superuser
    pg.uri                          # postgresql://ocspkit@127.0.0.1:PORT/ocspkit
    pg.stop()                       # pg_ctl stop (fast), then the postmaster's PID if need be

The tests run as root in CI and PostgreSQL refuses to run as root: the
cluster then belongs to the `postgres` user (the directory chowned to it)
and initdb, pg_ctl and psql run as that user through runuser.  Local
XX
`ocspkit` has a password too (PASSWORD), for the tests of password
files.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import free_port

SRCDIR = Path(os.environ.get("OCSPKIT_SRCDIR") or Path(__file__).resolve().parent.parent.parent)
SCHEMA = sorted((SRCDIR / "sql" / "postgresql").glob("*.sql"))
PASSWORD = "s3cret-for-tests"


def pg_bindir():
    """The newest /usr/lib/postgresql/N/bin with initdb, or None."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            try:
                found.append((int(Path(d).parent.name), d))
            except ValueError:
                pass
    return max(found)[1] if found else None


BINDIR = pg_bindir()
PSQL = (os.path.join(BINDIR, "psql") if BINDIR and os.path.exists(os.path.join(BINDIR, "psql"))
        else shutil.which("psql"))
MISSING = (None if BINDIR and PSQL else
           "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb; Debian: apt-get install postgresql)")


class Postgres:
    def __init__(self, root, port=None):
        if MISSING:
            pytest.skip(MISSING)
        self.root = Path(root)
        self.data = self.root / "data"
        self.sockdir = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = port or free_port()
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        self.root.mkdir(parents=True, exist_ok=True)
        self.sockdir.mkdir(exist_ok=True)
        if self.user:
            for p in (self.root, self.sockdir):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
            # the postgres user must reach the directory
            p = self.root.parent
            while p != p.parent:
                mode = os.stat(p).st_mode
                if not mode & 0o001:
                    os.chmod(p, mode | 0o711)
                p = p.parent
        self._as_pg([os.path.join(BINDIR, "initdb"), "-D", str(self.data), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                     "-E", "UTF8", "--locale=C", "--no-sync"], timeout=120)
        with open(self.data / "postgresql.conf", "a") as f:
            f.write("listen_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 50\nshared_buffers = 128MB\n" % self.sockdir)
        self.pid = None

    def _as_pg_argv(self, argv):
        """argv run as the cluster's owner."""
        return ["runuser", "-u", "postgres", "--"] + argv if self.user else argv

    def _as_pg(self, argv, check=True, timeout=60, input=None):
        argv = self._as_pg_argv(argv)
        r = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           cwd=str(self.root))
        if check and r.returncode != 0:
            raise AssertionError("%s failed (%d):\n%s%s" % (" ".join(argv), r.returncode,
                                                            r.stdout.decode(errors="replace"),
                                                            r.stderr.decode(errors="replace")))
        return r

    @property
    def uri(self):
        return "postgresql://ocspkit@127.0.0.1:%d/ocspkit" % self.port

    def start(self, first=True):
        self._as_pg([os.path.join(BINDIR, "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                     "-o", "-p %d" % self.port, "-w", "-t", "60", "start"], timeout=90)
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        if first and not getattr(self, "_made", False):
            self.sql("CREATE ROLE ocspkit LOGIN PASSWORD '%s'; CREATE DATABASE ocspkit OWNER ocspkit;" % PASSWORD,
                     db="postgres")
            self._made = True

    def stop(self):
        if self.pid is None:
            return
        r = self._as_pg([os.path.join(BINDIR, "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "30",
                         "stop"], check=False, timeout=60)
        if r.returncode != 0:
            try:
                os.kill(self.pid, signal.SIGQUIT)
            except ProcessLookupError:
                pass
        self.pid = None

    def passfile(self, path=None):
        """Writes a libpq password file for the ocspkit role (mode 0600,
        as libpq requires) and returns its path."""
        path = Path(path or self.root.parent / ("pgpass-%d" % self.port))
        path.write_text("127.0.0.1:%d:ocspkit:ocspkit:%s\n" % (self.port, PASSWORD))
        os.chmod(path, 0o600)
        return path

    def sql(self, text, db="ocspkit"):
        """Runs text through psql (stops at the first error); returns its
        output, unaligned, tuples only."""
        r = self._as_pg([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", str(self.sockdir),
                         "-p", str(self.port), "-U", "postgres", "-d", db], input=text.encode(), timeout=600)
        return r.stdout.decode()

    def apply_schema(self, files=None):
        for f in files or SCHEMA:
            self.sql("SET ROLE ocspkit;\n" + Path(f).read_text())

    def insert_cert(self, aki, serial, status="good", reason=None, revoked_at=None, expiry="2099-01-01 00:00:00+00",
                    ca_label=None):
        """One row as CFSSL's certdb writes it: the text columns in bytea."""
        def lit(v):
            return "NULL" if v is None else "'%s'" % str(v).replace("'", "''")

        self.sql("INSERT INTO certificates (serial_number, authority_key_identifier, ca_label, status, reason, "
                 "expiry, revoked_at, pem, issued_at, not_before) VALUES (convert_to(%s, 'UTF8'), "
                 "convert_to(%s, 'UTF8'), convert_to(%s, 'UTF8'), convert_to(%s, 'UTF8'), %s, %s, %s, "
                 "convert_to('-----BEGIN CERTIFICATE-----', 'UTF8'), now(), now())"
                 % (lit(serial), lit(aki.lower()), lit(ca_label), lit(status),
                    "NULL" if reason is None else int(reason), lit(expiry), lit(revoked_at)))

    def __del__(self):
        try:
            self.stop()
        except Exception:
            pass

"""A real Bolt + Cypher server for the tests and the benchmark: ArcadeDB with its
Bolt plugin, from the `arcadedb-embedded` package (which ships its own JRE and
jars), in a folder of its own, every listener on a free loopback port."""

from __future__ import annotations

import importlib.util
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BoltServer", "package_dir", "start"]

DATABASE = "casegraph"


@dataclass
class BoltServer:
    uri: str
    user: str
    password: str
    process: subprocess.Popen
    folder: Path

    def log_tail(self, lines: int = 20) -> str:
        log = self.folder / "server.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def package_dir() -> Path | None:
    """The installed arcadedb_embedded folder (found without importing it), or None."""
    spec = importlib.util.find_spec("arcadedb_embedded")
    return Path(spec.origin).parent if spec and spec.origin else None


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def start(folder: Path, timeout: float = 120, heap: str = "768m") -> BoltServer:
    """Start the server in ``folder`` and return once Bolt answers a login."""
    pkg = package_dir()
    if pkg is None:
        raise RuntimeError("arcadedb-embedded is not installed: pip install -e '.[test]'")
    java = pkg / "jre" / "bin" / "java"
    if not java.exists():
        raise RuntimeError(f"{java}: the package ships no JRE")
    bolt, http = _free_ports(2)
    password = secrets.token_hex(12)
    folder.mkdir(parents=True, exist_ok=True)
    props = {
        "arcadedb.server.rootPath": folder, "arcadedb.server.rootPassword": password,
        "arcadedb.server.mode": "development",
        "arcadedb.server.httpIncomingHost": "127.0.0.1", "arcadedb.server.httpIncomingPort": http,
        "arcadedb.server.defaultDatabases": f"{DATABASE}[root]",
        "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "arcadedb.bolt.host": "127.0.0.1", "arcadedb.bolt.port": bolt,
        "arcadedb.bolt.defaultDatabase": DATABASE,
    }
    command = [str(java), f"-Xmx{heap}", "-cp", f"{pkg / 'jars'}/*",
               *(f"-D{k}={v}" for k, v in props.items()), "com.arcadedb.server.ArcadeDBServer"]
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = BoltServer(f"bolt://127.0.0.1:{bolt}", "root", password, process, folder)
    try:
        _wait(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait(server: BoltServer, timeout: float) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"the Bolt server exited ({server.process.returncode}):\n{server.log_tail()}")
        try:
            with GraphDatabase.driver(server.uri, auth=(server.user, server.password),
                                      connection_timeout=2) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1 AS one")
            return
        except (DriverError, Neo4jError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no Bolt answer on {server.uri} in {timeout:.0f} s:\n"
                                   f"{server.log_tail()}") from None
            time.sleep(0.5)

"""Real app processes for the scale-out tests and benchmarks: `community run` (gunicorn, one
gevent worker, and the jobs process) on a free port, and a signed-in HTTP session against it.

How long a start-up may take: ``COUNCIL_START_SECONDS`` (90 by default; a loaded shared
machine took more than 30 s to boot the app)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
COMMUNITY = str(Path(sys.executable).parent / "community")
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START_SECONDS = float(os.environ.get("COUNCIL_START_SECONDS", "90"))


def run_cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [COMMUNITY, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"community {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@contextmanager
def app_process(env: dict[str, str], log: Path) -> Iterator[str]:
    """Serve the app with ``env``; yield its base URL once /healthz answers."""
    with app_processes(env, [log]) as [base]:
        yield base


@contextmanager
def app_processes(env: dict[str, str], logs: list[Path]) -> Iterator[list[str]]:
    """Serve the app with ``env`` in one process per log file, started together so that they
    boot side by side (each spends seconds importing the app); yield their base URLs once
    every /healthz answers."""
    with ExitStack() as stack:
        started = []
        for log in logs:
            port = free_port()
            output = stack.enter_context(log.open("w"))
            process = subprocess.Popen(
                [COMMUNITY, "run", "--port", str(port)],
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            stack.callback(_stop, process)
            started.append((process, f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + START_SECONDS
        for process, base, log in started:
            _wait_until_healthy(process, base, log, deadline)
        yield [base for _, base, _ in started]


def _wait_until_healthy(process: subprocess.Popen, base: str, log: Path, deadline: float) -> None:
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return
        except requests.RequestException:  # not listening yet, or still booting
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start:\n{log.read_text()}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        # longer than the supervisor gives its children (core/supervisor.py)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def csrf_token(session: requests.Session, url: str) -> str:
    match = CSRF_PATTERN.search(session.get(url, timeout=10).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def signed_in(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = csrf_token(session, f"{base}/login")
    response = session.post(
        f"{base}/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def reply(session: requests.Session, base: str, thread_id: int, body: str) -> requests.Response:
    token = csrf_token(session, f"{base}/t/{thread_id}")
    return session.post(
        f"{base}/t/{thread_id}/reply",
        data={"csrf_token": token, "body": body},
        allow_redirects=False,
        timeout=10,
    )


def pids_serving(instance: Path, *argv: str) -> list[int]:
    """The processes whose command line holds ``argv`` (in order) and whose environment names
    the instance folder ``instance``: e.g. ``("community.cli", "jobs")`` for the jobs process."""
    wanted = "\0".join(argv).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, or not ours
            continue
        if wanted in cmdline and f"={instance}\0".encode() in environ:
            found.append(int(entry.name))
    return found

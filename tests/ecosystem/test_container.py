"""The container image's own commands, run as written.

Where a container engine answers (`docker info`), the image is built and run for real. This
machine has only the docker client, no engine, so the same test also runs what the image
would run, on the host: the Dockerfile's CMD (with a free port, on loopback, the volume as a
temporary folder) and its HEALTHCHECK, then a write, a stop as `docker stop` does it
(SIGTERM) and a restart on the same volume, which must keep the write.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.live.helpers import call, free_port, wait_until
from tests.live.vendors import APPSTLE_CREDIT, appstle_headers

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instruction(name: str) -> list[str]:
    """The JSON (exec) form of the Dockerfile's last `name` instruction, continuations joined."""
    text = DOCKERFILE.replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    form = lines[-1].split(" CMD ", 1)[-1] if name == "HEALTHCHECK" else lines[-1][len(name) :]
    return json.loads(form.strip())


def on_host(argv: list[str], port: int, volume: Path) -> list[str]:
    """The container's command for this host: its programs from this environment, the port
    and the volume replaced, loopback instead of every interface."""
    swap = {"8080": str(port), "0.0.0.0": "127.0.0.1", "/data/state.sqlite3": str(volume / "s")}
    command = [swap.get(arg, arg).replace(":8080/", f":{port}/") for arg in argv]
    programs = {"mockserver": [sys.executable, "-m", "mockserver.cli"], "python": [sys.executable]}
    return programs[command[0]] + command[1:]


def healthy(port: int, volume: Path) -> bool:
    check = on_host(instruction("HEALTHCHECK"), port, volume)
    return subprocess.run(check, capture_output=True, timeout=10).returncode == 0


def serve(port: int, volume: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(on_host(instruction("CMD"), port, volume), cwd=volume)
    wait_until(lambda: healthy(port, volume), timeout=30, what="the health check passing")
    return process


def test_the_images_command_serves_keeps_state_on_its_volume_and_stops_on_sigterm(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    assert not healthy(port, tmp_path)  # the check fails while nothing answers
    server = serve(port, tmp_path)
    try:
        status, body = call(
            "POST", base + APPSTLE_CREDIT, {"customerId": 1001, "credits": 7.25},
            appstle_headers("container"),
        )  # fmt: skip
        assert status == 200
        balance = body["storeCreditBalance"]
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    assert list(tmp_path.glob("s*")), "no state file on the volume"
    server = serve(port, tmp_path)
    try:
        with urllib.request.urlopen(
            urllib.request.Request(
                f"{base}/api/external/customer-loyalty?customerId=1001",
                headers=appstle_headers("container"),
            ),
            timeout=10,
        ) as answer:
            assert json.load(answer)["storeCreditBalance"] == balance
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_the_image_runs_as_a_non_root_user_with_a_volume_and_a_health_check():
    assert "\nUSER mock\n" in DOCKERFILE and 'VOLUME ["/data"]' in DOCKERFILE
    assert instruction("HEALTHCHECK")[0] == "python"  # the slim image has no curl
    engine = shutil.which("docker")
    if engine and subprocess.run([engine, "info"], capture_output=True).returncode == 0:
        tag = f"credit-contracts-test:{os.getpid()}"
        subprocess.run([engine, "build", "-t", tag, str(ROOT)], check=True, timeout=900)
        try:
            user = subprocess.run(
                [engine, "run", "--rm", "--entrypoint", "id", tag, "-u"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            assert user == "10001"
            port = free_port()
            container = subprocess.run(
                [engine, "run", "-d", "--rm", "-p", f"127.0.0.1:{port}:8080", tag],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            try:
                wait_until(
                    lambda: call("GET", f"http://127.0.0.1:{port}/__admin/health")[0] == 200,
                    timeout=60,
                    what="the container answering",
                )
            finally:
                subprocess.run([engine, "stop", container], capture_output=True)
        finally:
            subprocess.run([engine, "rmi", "-f", tag], capture_output=True)

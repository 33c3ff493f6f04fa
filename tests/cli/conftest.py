"""Run the `mediaportal` client as a real subprocess, each "person" with their own config directory."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Cli:
    server: str
    home: Path

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {**os.environ, "XDG_CONFIG_HOME": str(self.home / "config"), "MEDIAPORTAL_URL": self.server}
        return subprocess.run([sys.executable, "-m", "mediaportal.cli", *args], input=stdin, capture_output=True,
                              text=True, env=env, cwd=self.home, timeout=timeout)


@pytest.fixture
def cli_for(tmp_path):
    def make(server: str, name: str) -> Cli:
        home = tmp_path / name
        home.mkdir()
        return Cli(server, home)

    return make

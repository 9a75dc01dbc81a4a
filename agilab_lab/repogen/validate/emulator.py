"""A local AWS emulator (moto's server mode) for the deployability gates.

:func:`moto_server` starts ``moto_server`` on a free loopback port and stops it on exit;
:func:`provider_override` is the Terraform override file that points every AWS service the
generated stacks use at it, with fake credentials and the skip flags offline runs need.
Nothing here reaches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .base import clean_env, tool_path

# Endpoint keys of the hashicorp/aws provider (5.100) for every service a generated stack uses;
# one key per service (aliases such as "stepfunctions" next to "sfn" are an error).
AWS_ENDPOINTS = (
    "appautoscaling", "batch", "cloudtrail", "cloudwatch", "configservice", "datasync",
    "dynamodb", "ec2", "ecr", "ecs", "elasticache", "elbv2", "emrserverless", "events",
    "firehose", "glue", "iam", "kafka", "kinesis", "kms", "lambda", "logs", "mwaa",
    "opensearch", "rds", "s3", "s3control", "sagemaker", "scheduler", "secretsmanager",
    "servicediscovery", "sfn", "sns", "sqs", "ssm", "sts",
)
OVERRIDE_FILE = "zz_agilab_emulator_override.tf"


class EmulatorError(RuntimeError):
    """The emulator is not installed or did not start."""


_LISTENING = re.compile(rb"Running on http://127\.0\.0\.1:(\d+)")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def moto_server(*, start_timeout_s: float = 30.0, log: Path | None = None) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) of a fresh moto server.

    The server binds a port the kernel picks (``-p 0``) and the URL is read from its own
    output, so two servers starting at once (or another user's) can never be mixed up."""
    binary = tool_path("moto_server")
    if binary is None:
        raise EmulatorError("moto_server is not installed (pip install 'moto[server]')")
    with ExitStack() as files:
        if log is None:
            log = Path(files.enter_context(tempfile.TemporaryDirectory(prefix="agilab-moto-"))) / "log"
        sink = files.enter_context(log.open("wb"))
        proc = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", "0"], stdout=sink,
                                stderr=subprocess.STDOUT,
                                # AWS managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist
                                # only when loaded (~0.2 s): without them every attachment fails.
                                env=clean_env(MOTO_IAM_LOAD_MANAGED_POLICIES="true"))
        try:
            yield _wait_listening(proc, log, start_timeout_s)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_listening(proc: subprocess.Popen, log: Path, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        match = _LISTENING.search(log.read_bytes())
        if match and _ready(url := f"http://127.0.0.1:{int(match.group(1))}"):
            return url
        if proc.poll() is not None or time.monotonic() > deadline:
            raise EmulatorError("moto_server did not start: "
                                + log.read_bytes()[-500:].decode(errors="replace"))
        time.sleep(0.1)


def provider_override(url: str) -> str:
    """HCL of an override file: fake credentials, skip flags, every endpoint at ``url``."""
    endpoints = "\n".join(f'    {name} = "{url}"' for name in AWS_ENDPOINTS)
    return (
        "# Written by agilab-lab's deployability gate: the stack runs against a local emulator.\n"
        'provider "aws" {\n'
        '  access_key                  = "test"\n'
        '  secret_key                  = "test"\n'
        "  skip_credentials_validation = true\n"
        "  skip_requesting_account_id  = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
        "  s3_use_path_style           = true\n\n"
        f"  endpoints {{\n{endpoints}\n  }}\n"
        "}\n"
    )

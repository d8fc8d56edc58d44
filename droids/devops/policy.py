"""`policies/devops.yaml`: what the devops droid checks in workflows, compose files and environment
configurations, and how `droid deploy` runs the trading core's service.

Every key has a default (the values below), so a repository without devops.yaml is checked and
deployed with them; `droid policy check` validates the file with line numbers. Path globs are
gitignore-style (`**` spans folders); key patterns are dotted (`apex.**`, `*password*`), matched
case-insensitively, `*` within one key, `**` across keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from droids.core.policy import load_droid_policy
from trading_core.policy import PolicyModel

DEVOPS_FILE = "devops.yaml"
ENV_NAME = r"^[a-z][a-z0-9-]*$"


class WorkflowPolicy(PolicyModel):
    """OPS001-OPS006: GitHub Actions workflows."""

    paths: tuple[str, ...] = (".github/workflows/*.yml", ".github/workflows/*.yaml")
    # zizmor's persona: regular (few false positives), pedantic, auditor (false positives accepted)
    zizmor_persona: Literal["regular", "pedantic", "auditor"] = "regular"
    # OPS006: owners whose actions may be referenced by tag; everything else needs a 40-hex commit SHA
    trusted_owners: tuple[str, ...] = ("actions", "github")
    # OPS003: the command that is the droid gate step, and whether a repository must have one
    gate_command: str = Field(default="droid gate", min_length=1)
    require_gate_step: bool = True
    # OPS004: the actions that upload SARIF to code scanning
    sarif_upload_actions: tuple[str, ...] = ("github/codeql-action/upload-sarif",)


class ComposePolicy(PolicyModel):
    """OPS010-OPS017: docker-compose files."""

    paths: tuple[str, ...] = (
        "**/docker-compose*.yml",
        "**/docker-compose*.yaml",
        "**/compose.yml",
        "**/compose.yaml",
        "**/compose.*.yml",
        "**/compose.*.yaml",
    )
    require_limits: bool = True  # OPS016: cpu and memory limits on every service


class EnvironmentPolicy(PolicyModel):
    """OPS020-OPS023: the same configuration in each environment, compared key by key."""

    names: tuple[str, ...] = Field(default=("dev", "staging", "prod"), min_length=2)
    # the environment every other one is compared with, and the only one that may reach the live broker
    reference: str = "prod"
    files: tuple[str, ...] = Field(default=("config/{env}.yaml", "config/{env}.yml", ".env.{env}"), min_length=1)
    # risk parameters: Apex's (policies/apex.yaml) and SENTINEL's (strategy.yaml risk.* and sizing.*)
    risk_keys: tuple[str, ...] = (
        "apex.**",
        "sentinel.**",
        "risk.**",
        "sizing.**",
        "apex_*",
        "sentinel_*",
        "risk_*",
        "sizing_*",
    )
    risk_allowed_to_differ: tuple[str, ...] = ()  # risk keys an environment may set differently
    environment_specific: tuple[str, ...] = ("environment", "service.*", "broker.endpoint", "*_endpoint", "*_url")
    live_broker_endpoints: tuple[str, ...] = ("live.tradovateapi.com",)  # host names (OPS022)
    secret_keys: tuple[str, ...] = (
        "*password*",
        "*passwd*",
        "*secret*",
        "*token*",
        "*api_key*",
        "*apikey*",
        "*private_key*",
        "*credential*",
        "*.sec",
        "*.cid",
        "*webhook*",
    )
    # a value is a reference (never a secret) when it is a mapping with one of these keys ...
    reference_keys: tuple[str, ...] = ("env", "secret", "vault", "file")
    # ... or a string matching one of these regular expressions
    reference_patterns: tuple[str, ...] = (
        r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+=])[^}]*)?\}$",  # ${VAR}, ${VAR:-default}, ${VAR:?why}
        r"^\$[A-Za-z_][A-Za-z0-9_]*$",
        r"^(env|vault|secret|op|file|awssm|gcpsm|azkv)://\S+$",
        r"^(env|vault|secret):\S+$",
    )

    @field_validator("names")
    @classmethod
    def _names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        import re

        bad = [n for n in names if not re.match(ENV_NAME, n)]
        if bad or len(set(names)) != len(names):
            raise ValueError(f"expected distinct lower-case environment names, got {list(names)}")
        return names

    @model_validator(mode="after")
    def _reference_known(self) -> EnvironmentPolicy:
        if self.reference not in self.names:
            raise ValueError(f"reference {self.reference!r} is not one of names {list(self.names)}")
        for pattern in self.files:
            if "{env}" not in pattern:
                raise ValueError(f"files: {pattern!r} must contain {{env}}")
        return self


class DeployTarget(PolicyModel):
    """One environment `droid deploy --env NAME` may deploy to."""

    port: int = Field(default=0, ge=0, le=65535)  # the reverse proxy's port on 127.0.0.1 (0: any free port)
    require_gate_pass: bool = False  # only a commit whose gate passed (audit trail) may be deployed
    gate_profiles: tuple[str, ...] = ("ci",)  # the gate runs that count
    # who may deploy: "@team" or e-mail addresses of policies/access.yaml; empty: anyone
    deployers: tuple[str, ...] = ()


class CanaryPolicy(PolicyModel):
    duration_s: float = Field(default=30.0, gt=0, le=3600)
    min_requests: int = Field(default=200, ge=10)
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    max_error_rate: float = Field(default=0.01, ge=0, le=1)  # never promoted above this, whatever the test says


class DeployPolicy(PolicyModel):
    environments: dict[str, DeployTarget] = Field(
        default_factory=lambda: {
            "staging": DeployTarget(port=8710),
            "prod": DeployTarget(port=8720, require_gate_pass=True, deployers=("@platform",)),
        }
    )
    health_timeout_s: float = Field(default=30.0, gt=0)
    check_interval_s: float = Field(default=0.25, gt=0, le=5)
    smoke_days: int = Field(default=1, ge=1, le=5)  # simulated trading days of the smoke session
    smoke_requests: int = Field(default=20, ge=1)  # /tick requests the smoke sends to the new version
    smoke_timeout_s: float = Field(default=180.0, gt=0)
    watch_s: float = Field(default=5.0, ge=0)  # after the switch: health watched, the old version kept ready
    drain_s: float = Field(default=1.0, ge=0)  # the old version serves its last requests before it stops
    canary: CanaryPolicy = CanaryPolicy()
    keep_releases: int = Field(default=5, ge=2)

    @field_validator("environments")
    @classmethod
    def _env_names(cls, envs: dict[str, DeployTarget]) -> dict[str, DeployTarget]:
        import re

        bad = [n for n in envs if not re.match(ENV_NAME, n)]
        if bad:
            raise ValueError(f"expected lower-case environment names, got {bad}")
        return envs


class DevopsPolicy(PolicyModel):
    version: int = Field(default=1, ge=1, le=1)
    workflows: WorkflowPolicy = WorkflowPolicy()
    compose: ComposePolicy = ComposePolicy()
    environments: EnvironmentPolicy = EnvironmentPolicy()
    deploy: DeployPolicy = DeployPolicy()


def load_devops_policy(policies: Path) -> DevopsPolicy:
    """devops.yaml as a model; without the file, every default applies."""
    return load_droid_policy(policies / DEVOPS_FILE, DevopsPolicy)[0]


def check_devops_policy(policies: Path, _repo: Path) -> DevopsPolicy:
    """`droid policy check`: devops.yaml validated as a run would read it."""
    return load_devops_policy(policies)

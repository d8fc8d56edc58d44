"""OPS010-OPS017 on a clean compose file and on one planted problem each (one table for the family:
each row names the rule that must find it, where, and what it says). Docker is not needed."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from droids.core.models import Severity
from droids.devops.compose import (
    ops010_compose_schema,
    ops011_healthcheck,
    ops012_depends_on_healthy,
    ops013_latest_image,
    ops014_privileged,
    ops015_literal_secret,
    ops016_resource_limits,
    ops017_unresolved_reference,
)
from tests.droids.devops.compose.cases import CLEAN, COMPOSE, line_of, planted
from tests.droids.devops.helpers import run_rule
from tests.secret_values import password

RULES = (
    ops010_compose_schema,
    ops011_healthcheck,
    ops012_depends_on_healthy,
    ops013_latest_image,
    ops014_privileged,
    ops015_literal_secret,
    ops016_resource_limits,
    ops017_unresolved_reference,
)
GATEWAY_CHECK = """    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
      interval: 10s
      timeout: 3s
      retries: 3
"""
SECRET = password(16)

# (rule, compose text, the line's needle, what the message says)
MUST_FLAG = [
    (
        ops010_compose_schema,
        planted("    image: registry.example.com/broker-gateway", "    imagee: registry.example.com/broker-gateway"),
        "imagee",
        "'imagee' was unexpected",
    ),
    (
        ops010_compose_schema,
        planted("      interval: 10s", "      interval: 10"),
        "interval",
        "a number is not of type 'string'",
    ),
    (ops011_healthcheck, planted(GATEWAY_CHECK, ""), "  gateway:", "service 'gateway' has no healthcheck"),
    (
        ops011_healthcheck,
        planted("      retries: 3\n", "      retries: 3\n      disable: true\n"),
        "healthcheck:",
        "service 'gateway' has no healthcheck",
    ),
    (
        ops012_depends_on_healthy,
        planted("condition: service_healthy", "condition: service_started"),
        "      gateway:",
        "waits for 'gateway' only to start",
    ),
    (
        ops013_latest_image,
        planted("broker-gateway:2.4.1", "broker-gateway:latest"),
        "broker-gateway",
        "its tag is latest",
    ),
    (ops013_latest_image, planted("broker-gateway:2.4.1", "broker-gateway"), "broker-gateway", "no tag"),
    (
        ops013_latest_image,
        planted("broker-gateway:2.4.1", "broker-gateway:${TAG:-latest}"),
        "broker-gateway",
        "defaults to latest",
    ),
    (
        ops014_privileged,
        planted(
            '    networks: [backend]\n    deploy:\n      resources:\n        limits: {cpus: "0.50"',
            "    privileged: true\n    networks: [backend]\n    deploy:\n"
            '      resources:\n        limits: {cpus: "0.50"',
        ),
        "privileged",
        "privileged: true",
    ),
    (
        ops014_privileged,
        planted("      - ./config:/srv/config:ro", "      - /var/run/docker.sock:/var/run/docker.sock"),
        "volumes:",
        "the Docker socket",
    ),
    (
        ops015_literal_secret,
        planted("BROKER_PASSWORD: ${BROKER_PASSWORD}", f"BROKER_PASSWORD: {SECRET}"),
        "BROKER_PASSWORD",
        "sets BROKER_PASSWORD to a literal value",
    ),
    (
        ops015_literal_secret,
        planted("TWELVEDATA_API_KEY=${TWELVEDATA_API_KEY}", f"TWELVEDATA_API_KEY={SECRET}"),
        "TWELVEDATA_API_KEY",
        "sets TWELVEDATA_API_KEY to a literal value",
    ),
    (
        ops016_resource_limits,
        planted('        limits: {cpus: "0.50", memory: 256M}', '        limits: {cpus: "0.50"}'),
        "    deploy:",
        "no memory limit",
    ),
    (
        ops017_unresolved_reference,
        planted("      migrate:\n        condition", "      migrat:\n        condition"),
        "    depends_on:",
        "service 'migrat'",
    ),
    (
        ops017_unresolved_reference,
        planted("      - journal:/srv/journal", "      - journals:/srv/journal"),
        "    volumes:",
        "volume 'journals'",
    ),
    (
        ops017_unresolved_reference,
        planted("    secrets: [broker_cert]", "    secrets: [broker_key]"),
        "    secrets: [",
        "secret 'broker_key'",
    ),
]


@pytest.mark.parametrize(("rule", "text", "where", "says"), MUST_FLAG)
def test_planted_problem_is_found_by_its_rule(
    git_repo: Path, rule: ModuleType, text: str, where: str, says: str
) -> None:
    found = run_rule(git_repo, rule, {COMPOSE: text})
    assert len(found) == 1, [f.message for f in found]
    assert says in found[0].message
    first = where.split("\n")[0]
    assert found[0].line == line_of(text, first) if first.strip() else True
    assert SECRET not in found[0].message and SECRET not in (found[0].evidence or "")


@pytest.mark.parametrize("rule", RULES)
def test_clean_compose_file_raises_nothing(git_repo: Path, rule: ModuleType) -> None:
    assert run_rule(git_repo, rule, {COMPOSE: CLEAN}) == []


def test_other_rules_stay_quiet_on_each_planted_problem(git_repo: Path) -> None:
    """One problem, one finding: no other rule of the family reports the planted edit."""
    for rule, text, _, _ in MUST_FLAG:
        others = [r for r in RULES if r is not rule and r is not ops010_compose_schema]
        assert all(run_rule(git_repo, other, {COMPOSE: text}) == [] for other in others), rule.__name__


def test_literal_secret_evidence_is_masked(git_repo: Path) -> None:
    text = planted("BROKER_PASSWORD: ${BROKER_PASSWORD}", f"BROKER_PASSWORD: {SECRET}")
    (found,) = run_rule(git_repo, ops015_literal_secret, {COMPOSE: text})
    assert found.evidence == f"BROKER_PASSWORD={SECRET[:4]}****"
    assert found.severity == Severity.HIGH


def test_limits_rule_follows_the_policy(git_repo: Path) -> None:
    text = planted('        limits: {cpus: "0.50", memory: 256M}', '        limits: {cpus: "0.50"}')
    files = {COMPOSE: text, "policies/devops.yaml": "version: 1\ncompose:\n  require_limits: false\n"}
    assert run_rule(git_repo, ops016_resource_limits, files) == []


@pytest.mark.parametrize(
    "reference",
    [
        "BROKER_PASSWORD: ${BROKER_PASSWORD:-}",
        "BROKER_PASSWORD: ${BROKER_PASSWORD:?set it in .env}",
        "BROKER_PASSWORD: ${BROKER_PASSWORD-}",
        "BROKER_PASSWORD_FILE: /run/secrets/broker_password",
        "BROKER_PASSWORD_FILE: ./secrets/broker_password.txt",
    ],
)
def test_references_in_compose_forms_are_not_literal_secrets(git_repo: Path, reference: str) -> None:
    text = planted("BROKER_PASSWORD: ${BROKER_PASSWORD}", reference)
    assert run_rule(git_repo, ops015_literal_secret, {COMPOSE: text}) == []

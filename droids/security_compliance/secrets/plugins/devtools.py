"""Version control, CI and package-registry credentials, by their published formats.

- GitHub: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 base62 characters whose last six are the base62
  CRC32 of the first thirty (GitHub's published token format: a value that fails the checksum is
  not a GitHub token, whatever its prefix), and fine-grained PATs (`github_pat_` + 22 + `_` + 59).
  These replace detect-secrets' GitHub detector, which reports only the prefix.
- npm access tokens (`npm_` + 36, the same CRC32 scheme); NuGet API keys (`oy2` + 43) and the
  `ClearTextPassword` of a `<packageSourceCredentials>` entry in NuGet.Config; Docker Hub PATs
  (`dckr_pat_`) and the `auth` (base64 of `user:password`) of a Docker `config.json`; RubyGems
  (`rubygems_` + 48 hex), crates.io (`cio` + 32), Clojars (`CLOJARS_` + 60), JFrog (`AKCp` + 69).
- Atlassian API tokens (`ATATT3`), Bitbucket app passwords (`ATBB`) and repository access tokens
  (`ATCTT3`); SonarQube (`squ_`/`sqp_`/`sqa_` + 40 hex), Buildkite (`bkua_` + 40 hex), CircleCI
  personal tokens (`CCIPAT_`), Postman (`PMAK-`), Sentry (`sntrys_`, `sntryu_`), Grafana (`glc_`,
  `glsa_`), New Relic (`NRAK-`), Dynatrace (`dt0c01.`).
- Sidekiq Pro/Enterprise gem-server credentials: the `BUNDLE_ENTERPRISE__CONTRIBSYS__COM` or
  `BUNDLE_GEMS__CONTRIBSYS__COM` setting (`8 hex:8 hex`) and `https://<user>:<pass>@gems.contribsys.com`.
GitLab's and PyPI's tokens are detect-secrets' own detectors.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
import zlib
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.provider import BASE62, URLSAFE, ProviderDetector, token

_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def crc32_suffix_holds(body: str) -> bool:
    """GitHub's (and npm's) checksum: the last 6 characters are the base62 CRC32 of the rest."""
    payload, check = body[:-6], body[-6:]
    number = 0
    for char in check:
        number = number * 62 + _B62.index(char)
    return number == zlib.crc32(payload.encode("ascii"))


class GitHubTokenChecksumDetector(ProviderDetector):
    secret_type = "GitHub Access Token"  # noqa: S105 - the type name detect-secrets reports
    denylist = (
        token("gh[pousr]_", f"[{BASE62}]{{36}}"),
        token("github_pat_", f"[{BASE62}]{{22}}_[{BASE62}]{{59}}"),
    )

    def valid(self, value: str, match: re.Match[str]) -> bool:
        return value.startswith("github_pat_") or crc32_suffix_holds(match.group("body"))


class NpmTokenDetector(ProviderDetector):
    secret_type = "npm Access Token"  # noqa: S105
    denylist = (token("npm_", f"[{BASE62}]{{36}}"),)

    def valid(self, value: str, match: re.Match[str]) -> bool:
        return crc32_suffix_holds(match.group("body"))


class NuGetKeyDetector(ProviderDetector):
    secret_type = "NuGet Credentials"  # noqa: S105
    _ATTRIBUTE = r"""value\s*=\s*"(?P<secret>[^"\n]{4,256})\""""
    denylist = (
        token("oy2", "[a-z0-9]{43}"),
        re.compile(rf"""key\s*=\s*"ClearTextPassword"\s+{_ATTRIBUTE}""", re.IGNORECASE),
        re.compile(rf"""{_ATTRIBUTE}\s+key\s*=\s*"ClearTextPassword\"""", re.IGNORECASE),
    )

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if match.re is self.denylist[0]:
            return super().keep(value, match, context)
        return not values.is_placeholder(value)


class DockerCredentialsDetector(ProviderDetector):
    secret_type = "Docker Registry Credentials"  # noqa: S105
    denylist = (
        token("dckr_pat_", f"[{URLSAFE}]{{27}}", after=r"(?![A-Za-z0-9_-])"),
        re.compile(r""""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{8,512}={0,2})\""""),
    )

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if match.re is self.denylist[0]:
            return super().keep(value, match, context)
        try:
            user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return bool(sep and user and password) and not values.is_placeholder(password) and password != user


class PackageRegistryTokenDetector(ProviderDetector):
    secret_type = "Package Registry Token"  # noqa: S105
    denylist = (
        token("rubygems_", "[a-f0-9]{48}"),
        token("cio", f"[{BASE62}]{{32}}"),
        token("CLOJARS_", "[a-z0-9]{60}"),
        token("AKCp", f"[{BASE62}]{{69}}"),
    )


class AtlassianTokenDetector(ProviderDetector):
    secret_type = "Atlassian API Token"  # noqa: S105
    denylist = (
        token("ATATT3", f"[={URLSAFE}]{{150,250}}", after=r"(?![A-Za-z0-9_=-])"),
        token("ATCTT3", f"[={URLSAFE}]{{150,250}}", after=r"(?![A-Za-z0-9_=-])"),
        token("ATBB", f"[=.{URLSAFE}]{{32}}", after=r"(?![A-Za-z0-9_=.-])"),
    )


class CiTokenDetector(ProviderDetector):
    secret_type = "CI/CD Token"  # noqa: S105
    denylist = (
        token("sq[uap]_", "[a-f0-9]{40}"),
        token("bkua_", "[a-f0-9]{40}"),
        token("CCIPAT_", f"[{BASE62}]{{22}}_[a-f0-9]{{40}}"),
        token("PMAK-", "[a-f0-9]{24}-[a-f0-9]{34}"),
    )


class ObservabilityTokenDetector(ProviderDetector):
    secret_type = "Observability Platform Token"  # noqa: S105
    denylist = (
        token("sntry[su]_", r"[A-Za-z0-9+/=_]{40,300}", after=r"(?![A-Za-z0-9+/=_-])"),
        token("glc_", r"[A-Za-z0-9+/]{32,400}={0,2}", after=r"(?![A-Za-z0-9+/=_-])"),
        token("glsa_", f"[{BASE62}]{{32}}_[a-fA-F0-9]{{8}}"),
        token("NRAK-", "[A-Z0-9]{27}"),
        token(r"dt0c01\.", r"[A-Z0-9]{24}\.[A-Z0-9]{64}"),
    )


class SidekiqCredentialsDetector(ProviderDetector):
    secret_type = "Sidekiq Credentials"  # noqa: S105
    denylist = (
        re.compile(
            r"BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM[\"']?\s*[:=]\s*[\"']?(?P<secret>(?P<body>[a-f0-9]{8}:[a-f0-9]{8}))(?![a-f0-9])",
            re.IGNORECASE,
        ),
        re.compile(r"https?://(?P<secret>(?P<body>[a-f0-9]{8}:[a-f0-9]{8}))@(?:gems|enterprise)\.contribsys\.com"),
    )

"""Payment providers' and AI APIs' credentials, by their published formats.

Payment (live keys move money; test keys are still keys): Stripe restricted and secret keys of any
length (`sk_live_`, `rk_live_`, `sk_test_`, `rk_test_`; detect-secrets knows only 24-character live
keys) and webhook signing secrets (`whsec_`), PayPal/Braintree access tokens
(`access_token$production$...`), Square access tokens (`sq0atp-`, `EAAA` + 60), Razorpay key ids
(`rzp_live_`, `rzp_test_`), Flutterwave secret keys (`FLWSECK-...-X`), GoCardless (`live_` + 40),
Plaid access tokens (`access-production-<uuid>`, `access-sandbox-...`).

AI APIs (they spend the account's credit): OpenAI project, service-account and admin keys
(`sk-proj-`, `sk-svcacct-`, `sk-admin-`; detect-secrets finds only keys holding `T3BlbkFJ`),
Anthropic (`sk-ant-api03-`, `sk-ant-admin01-`), Hugging Face (`hf_` + 34 letters, `api_org_`),
Replicate (`r8_`), Groq (`gsk_`), Perplexity (`pplx-`), xAI (`xai-`), OpenRouter (`sk-or-v1-`),
LangSmith (`lsv2_pt_`, `lsv2_sk_`). Google's Gemini keys are Google API keys (`cloud.py`).
"""

from __future__ import annotations

from droids.security_compliance.secrets.plugins.provider import BASE62, URLSAFE, ProviderDetector, token

_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class PaymentKeyDetector(ProviderDetector):
    secret_type = "Payment Provider Key"  # noqa: S105 - the type name detect-secrets reports
    denylist = (
        token("[rs]k_live_", f"[{BASE62}]{{24,247}}"),
        token("whsec_", f"[{BASE62}]{{32,64}}"),
        token(r"access_token\$production\$", r"[a-z0-9]{16}\$[a-f0-9]{32}"),
        token("sq0atp-", f"[{URLSAFE}]{{22}}", after=r"(?![A-Za-z0-9_-])"),
        token("EAAA", f"[{URLSAFE}]{{60}}", after=r"(?![A-Za-z0-9_-])"),
        token("rzp_live_", f"[{BASE62}]{{14}}"),
        token("FLWSECK-", "[a-f0-9]{32}-X"),
        token("live_", f"[={URLSAFE}]{{40}}", after=r"(?![A-Za-z0-9_=-])"),
        token("access-production-", _UUID, after=r"(?![A-Za-z0-9_-])"),
    )


class PaymentTestKeyDetector(ProviderDetector):
    """Test-mode keys: no money moves, but they read and write the account's test data."""

    secret_type = "Payment Provider Test Key"  # noqa: S105
    denylist = (
        token("[rs]k_test_", f"[{BASE62}]{{24,247}}"),
        token("rzp_test_", f"[{BASE62}]{{14}}"),
        token("FLWSECK_TEST-", "[a-f0-9]{32}-X"),
        token("access-(?:development|sandbox)-", _UUID, after=r"(?![A-Za-z0-9_-])"),
    )


class OpenAIKeyDetector(ProviderDetector):
    secret_type = "OpenAI API Key"  # noqa: S105
    denylist = (token("sk-(?:proj|svcacct|admin)-", f"[{URLSAFE}]{{40,300}}", after=r"(?![A-Za-z0-9_-])"),)


class AnthropicKeyDetector(ProviderDetector):
    secret_type = "Anthropic API Key"  # noqa: S105
    denylist = (token("sk-ant-(?:api|admin)0[0-9]-", f"[{URLSAFE}]{{80,120}}", after=r"(?![A-Za-z0-9_-])"),)


class AiPlatformKeyDetector(ProviderDetector):
    secret_type = "AI Platform API Key"  # noqa: S105
    denylist = (
        token("(?:hf_|api_org_)", "[A-Za-z]{34}"),
        token("r8_", f"[{BASE62}]{{37}}"),
        token("gsk_", f"[{BASE62}]{{52}}"),
        token("pplx-", f"[{BASE62}]{{48}}"),
        token("xai-", f"[{BASE62}]{{80}}"),
        token("sk-or-v1-", "[a-f0-9]{64}"),
        token("lsv2_(?:pt|sk)_", "[a-f0-9]{32}_[a-f0-9]{10}"),
    )

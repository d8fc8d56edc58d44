"""Brokers', market-data vendors' and crypto exchanges' credentials (Tradovate, Twelve Data and broker
passwords have modules of their own).

- Alpaca API key ids by value (`PK`/`AK`/`CK` + 18 upper-case letters and digits, mixed).
- Databento API keys by value (`db-` + 29); IEX Cloud secret tokens (`sk_`/`Tsk_` + 32 hex).
- Interactive Brokers Flex Web Service tokens: the `t=` of a `FlexWebService/SendRequest` URL.
- Market-data keys in vendor URLs: the key parameter (`apiKey`, `apikey`, `token`, `api_token`,
  `access_key`...) of Polygon/Massive, Finnhub, Alpha Vantage, FMP, EODHD, Tiingo, FRED, Nasdaq
  Data Link, marketstack, IEX Cloud, Intrinio, CoinGecko, CoinMarketCap, CoinAPI, CryptoCompare,
  Databento, Benzinga, Tradier URLs.
- Values assigned to a name that says broker or vendor (`ALPACA_SECRET_KEY`, `APCA_API_SECRET_KEY`,
  `polygon_api_key`, `FINNHUB_TOKEN`, `schwab_app_secret`, `kite_api_secret`...) in code and
  configuration, as a generated token of 16+ characters: "Broker API Credentials" for brokers,
  "Market Data API Key" for vendors.
- Crypto exchanges: their API-key headers (`X-MBX-APIKEY` Binance, `X-BAPI-API-KEY` Bybit,
  `OK-ACCESS-KEY`/`-PASSPHRASE` OKX, `KC-API-KEY`/`-PASSPHRASE` KuCoin, `CB-ACCESS-KEY` Coinbase,
  `X-BX-APIKEY` BingX, `X-MEXC-APIKEY` MEXC, `bfx-apikey` Bitfinex), and `apiKey`/`key`/`secret`/
  `password`/`privateKey` fields holding a generated value within five lines of an exchange's name
  or of ccxt (`ccxt.binance({'apiKey': ...})`, freqtrade's `"exchange": {"name": "kraken", "key":
  ...}`).
Placeholders, references and values too regular to be generated are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.assignment import compile_pair
from droids.security_compliance.secrets.plugins.base import INDIRECT_REFERENCE, FieldDetector
from droids.security_compliance.secrets.plugins.provider import BASE62, ProviderDetector, token

_GENERATED = r"[A-Za-z0-9_+/=-]{16,128}"
_BROKERS = (
    r"alpaca|apca|ibkr|schwab|ameritrade|tdameritrade|tradier|oanda|tastytrade|tastyworks|etrade|webull"
    r"|tradestation|kite|zerodha|upstox|fyers|dhan|ninjatrader|rithmic|projectx|topstepx|tradelocker|dxtrade"
)
_VENDORS = (
    r"polygon|massive|finnhub|alpha_?vantage|fmp|financialmodelingprep|eodhd|tiingo|fred|quandl|nasdaq_?data_?link"
    r"|marketstack|iex(?:cloud)?|intrinio|coinmarketcap|cmc_pro|coinapi|cryptocompare|databento|benzinga|barchart"
    r"|dxfeed|kibot|norgate|xignite|unusual_?whales|orats|quiver(?:quant)?|coingecko|finage|tradermade|polygonio"
)
_KEY_NAME = (
    r"(?:api[_-]?key|api[_-]?secret|secret(?:[_-]?key)?|token|access[_-]?token|app[_-]?key|app[_-]?secret"
    r"|client[_-]?secret|key)"
)


def _named(names: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return compile_pair(rf"(?<![A-Za-z0-9])(?:{names})[\w.-]{{0,24}}?{_KEY_NAME}", _GENERATED)


_HOSTS = (
    r"api\.polygon\.io|api\.massive\.com|finnhub\.io|alphavantage\.co|financialmodelingprep\.com|eodhd\.com"
    r"|eodhistoricaldata\.com|api\.tiingo\.com|api\.stlouisfed\.org|data\.nasdaq\.com|marketstack\.com|iexapis\.com"
    r"|api\.intrinio\.com|api\.coingecko\.com|coinmarketcap\.com|coinapi\.io|cryptocompare\.com|databento\.com"
    r"|api\.benzinga\.com|api\.tradier\.com"
)
_VENDOR_URL = re.compile(
    rf"(?:{_HOSTS})[:/][^\s\"'<>]{{0,400}}?[?&](?:api_?key|api_?token|token|access_key|x_cg_pro_api_key|cmc_pro_api_key)"
    r"=(?P<secret>[A-Za-z0-9_-]{16,128})(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
_BROKER_QUOTED, _BROKER_BARE = _named(_BROKERS)
_VENDOR_QUOTED, _VENDOR_BARE = _named(_VENDORS)


def _generated(value: str) -> bool:
    return values.looks_random(value, min_entropy=3.2) and not values.is_word_slug(value)


class AlpacaKeyDetector(ProviderDetector):
    secret_type = "Alpaca API Key"  # noqa: S105 - the type name detect-secrets reports
    denylist = (token("(?:PK|AK(?!IA)|CK)", "[A-Z0-9]{18}"),)  # AKIA...: an AWS key id

    def valid(self, value: str, match: re.Match[str]) -> bool:
        body = match.group("body")
        return any(c.isdigit() for c in body) and any(c.isalpha() for c in body)


class MarketDataTokenDetector(ProviderDetector):
    secret_type = "Market Data Vendor Token"  # noqa: S105
    denylist = (token("db-", f"[{BASE62}]{{29}}"), token("T?sk_", "[a-f0-9]{32}"))


class InteractiveBrokersFlexTokenDetector(FieldDetector):
    secret_type = "Interactive Brokers Flex Token"  # noqa: S105
    # The token is all digits, which detect-secrets' "not alphanumeric" heuristic drops.
    exempt_filters = frozenset({INDIRECT_REFERENCE, "detect_secrets.filters.heuristic.is_not_alphanumeric_string"})
    denylist = (
        re.compile(r"FlexWebService/[A-Za-z]+\?[^\s\"'<>]{0,200}?(?<![A-Za-z0-9_])t=(?P<secret>\d{15,30})(?!\d)"),
    )

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return len(set(value)) >= 6


class BrokerApiCredentialsDetector(FieldDetector):
    secret_type = "Broker API Credentials"  # noqa: S105
    denylist = (_BROKER_QUOTED, _BROKER_BARE)
    config_only = frozenset({_BROKER_BARE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return _generated(value)


class MarketDataKeyDetector(FieldDetector):
    secret_type = "Market Data API Key"  # noqa: S105
    denylist = (_VENDOR_URL, _VENDOR_QUOTED, _VENDOR_BARE)
    config_only = frozenset({_VENDOR_BARE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return _generated(value)


_EXCHANGE_HEADER = re.compile(
    r"(?:X-MBX-APIKEY|X-BAPI-API-KEY|OK-ACCESS-(?:KEY|PASSPHRASE)|KC-API-(?:KEY|PASSPHRASE)|CB-ACCESS-KEY|X-BX-APIKEY"
    r"|X-MEXC-APIKEY|bfx-apikey)[\"']?\s*[:=]\s*[rbuf]?[\"']?(?P<secret>[A-Za-z0-9_+/=-]{16,128})",
    re.IGNORECASE,
)
_FIELD = (
    r"""(?<![\w.-])["']?(?:api_?key|key|secret|api_?secret|secret_?key|password|passphrase|private_?key|uid)["']?"""
)
_FIELD_QUOTED, _FIELD_BARE = compile_pair(_FIELD, _GENERATED)
_EXCHANGES = re.compile(
    r"\b(?:ccxt|binance(?:us|usdm|coinm)?|bybit|okx|okex|kucoin(?:futures)?|kraken(?:futures)?|coinbase(?:pro|advanced)?"
    r"|bitfinex|bitmex|deribit|gate(?:io)?|huobi|htx|mexc|bitget|bitstamp|gemini|hyperliquid|dydx|phemex|bingx"
    r"|cryptocom|woo|bitmart|lbank|poloniex|upbit|bithumb)\b",
    re.IGNORECASE,
)


class CryptoExchangeKeyDetector(FieldDetector):
    """Exchange API keys: by their headers, or as config fields next to an exchange's name."""

    secret_type = "Crypto Exchange API Key"  # noqa: S105
    denylist = (_EXCHANGE_HEADER, _FIELD_QUOTED, _FIELD_BARE)
    config_only = frozenset({_FIELD_BARE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if not _generated(value):
            return False
        return match.re is _EXCHANGE_HEADER or any(_EXCHANGES.search(line) for line in context)

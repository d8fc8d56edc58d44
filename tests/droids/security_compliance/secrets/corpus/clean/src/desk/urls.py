"""URLs the desk reads; none of them carries a credential."""

from __future__ import annotations

CME_CALENDAR = "https://www.cmegroup.com/tools-information/holiday-calendar.html?redirect=/trading-hours.html"
FONTS = "https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap"
BADGE = "https://codecov.io/gh/acme/desk/branch/main/graph/badge.svg?token=Q1W2E3R4T5"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"
SEARCH = "https://api.example.com/v2/search?q=ES%20futures&page=2&per_page=100&sort=updated"
KEYED_TEMPLATE = "https://www.alphavantage.co/query?function=TIME_SERIES_INTRADAY&symbol={symbol}&apikey={key}"
POLYGON = "https://api.polygon.io/v2/aggs/ticker/{ticker}/range/1/minute/{start}/{end}?adjusted=true&apiKey="
FINNHUB = "https://finnhub.io/api/v1/quote?symbol=ES&token=" + "{token}"
SYMBOL_KEY = "https://example.com/instruments?key=ES&key=NQ&key=CL"
CURSOR = "https://api.example.com/v1/fills?cursor=eyJwYWdlIjoyfQ&limit=500"

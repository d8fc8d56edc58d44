"""SEC001's scanner: detect-secrets' plugins and filters, with linear-time guards, a content cache
and a process pool for large inputs. Nothing here is imported until a scan runs."""

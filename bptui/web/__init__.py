"""`bptui serve`'s web side: the server (aiohttp, textual-serve) and bptui's own page."""

"""pplx-tui: a keyboard-driven terminal research client for Perplexity's Sonar models.

The core (``models``, ``config``, ``providers``, ``client``, ``store``, ``export``) never
imports Textual; only ``pplx_tui.ui`` does.
"""

__version__ = "0.1.0"

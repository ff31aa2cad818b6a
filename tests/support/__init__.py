"""Test helpers: a loopback HTTP server that speaks the providers' SSE and recorded streams."""

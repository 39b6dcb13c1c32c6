"""Outgoing mail: composing acknowledgements, orders and the digest, and delivering them."""

"""Persistence: the connection chosen by URL, the models, the schema migrations."""

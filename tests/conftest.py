pytest_plugins = [
    "fixtures_imap",
    "fixtures_db",
    "fixtures_smtp",
    "fixtures_m365",
    "fixtures_graph",
]

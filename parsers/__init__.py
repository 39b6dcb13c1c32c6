"""Bytes in, typed values out: mail, Word form, dates, unit names, classification.

Pure code: no network, no database, no clock. Imports nothing else of lovbot's.
"""

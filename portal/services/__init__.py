"""The operations layer: each use-case is one function, one transaction, one audit row.

Services take the acting person explicitly (`Actor`), never from Flask globals, and
either commit their change together with its log row or change nothing.
"""

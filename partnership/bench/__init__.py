"""`make bench`: a load test of the main pages against gunicorn on scale data.

`python -m partnership.bench` (see `__main__.py`) builds a database, starts gunicorn with
production-like settings, runs locust (`locustfile.py`) against it on the loopback address
only, and writes the figures to docs/benchmarks.md.
"""

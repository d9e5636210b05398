"""`make bench`: the site measured at scale (see bench/run.py)."""

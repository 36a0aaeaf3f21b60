"""aqparat: Kazakhstan's state-body news, collected, cleaned and published in kk, ru and en."""

__version__ = "0.1.0"

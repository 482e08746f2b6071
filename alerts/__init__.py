"""newsclaims' alerts: webhooks told of new discrepancy groups, decisions and resolved forecasts.

The store writes each alert to its outbox in the transaction of what it reports (store/alerts.py,
store/outbox.py); this package sends them: ``signing`` (the ``Newsclaims-Signature`` header and
its check, for receivers and tests) and ``delivery`` (the loop that claims due deliveries, POSTs
them through the guarded client of corpus/http.py and records each attempt). It sits above
corpus and review, below runtime.
"""

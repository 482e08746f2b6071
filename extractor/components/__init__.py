"""One registered spaCy factory per module: tickers, figures, periods, quotes, claims."""

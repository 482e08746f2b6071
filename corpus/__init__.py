"""What comes in: article sources, feeds, the guarded HTTP client, normalising, deduplication,
intake into the queue, the instrument reference and the worker."""

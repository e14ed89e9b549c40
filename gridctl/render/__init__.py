"""Turning results into what people read: problem reports now, printed pages later."""

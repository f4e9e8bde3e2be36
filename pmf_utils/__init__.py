"""Council Plan delivery reporting."""

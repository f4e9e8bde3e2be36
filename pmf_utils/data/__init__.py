"""The data flow's first step: the council's files read, checked and loaded (schema, periods,
validation, dataset, commentary)."""

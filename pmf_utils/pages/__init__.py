"""What the notebooks call to make a page: markdown escaped by construction, charts, icons,
report sections."""

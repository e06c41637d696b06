"""All SQL lives here: one module per aggregate, functions taking a Session."""

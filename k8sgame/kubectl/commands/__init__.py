"""One module per kubectl verb; each registers its flags with the parser."""

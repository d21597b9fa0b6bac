"""Data files that may come from strangers (level packs, question banks): safe YAML with the
place of every value, a schema language that also writes JSON Schema for editors, and
problems reported as ``file:line:column: message``. Nothing in such a file is executed."""

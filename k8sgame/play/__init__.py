"""The play session: one level (or the sandbox) being played by a person — the run, the
checklist they see, hints, skipping ahead, saving and wins. Textual-free, so the game screen
only shows it and tests drive it without a screen."""

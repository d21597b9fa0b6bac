"""The content box: what every player-facing box shares about the game's own words and
text, below the levels, the game screen and kubectl's prompt completion (never the engine)."""

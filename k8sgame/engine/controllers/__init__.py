"""Controllers: loops that watch the store, compare desired with actual state, and write."""

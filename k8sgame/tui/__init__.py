"""The game screen (Textual). It renders engine, kubectl and level state and turns keys into
calls on those boxes; it holds no game rules of its own."""

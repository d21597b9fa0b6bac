"""kubectl for the simulated cluster: a pure parser and formatters that print kubectl's text.

Holds no cluster state: every command is turned into engine calls, and the engine's answers
into kubectl's own output. Imports no Textual.
"""

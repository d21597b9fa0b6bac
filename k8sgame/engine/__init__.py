"""The simulated cluster. Imports no UI, file-system or wall-clock code."""

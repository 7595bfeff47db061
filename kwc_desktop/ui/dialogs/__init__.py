"""The wizard's dialogs, one module each (imported on first use)."""

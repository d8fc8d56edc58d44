"""Validation of bars (DATA001-DATA008): vectorised rules over streamed batches, one module per rule."""

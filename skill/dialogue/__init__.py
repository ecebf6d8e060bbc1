"""The conversation: a transitions state machine over a serialisable Session."""

"""The lean core: value stream metrics and the words people type, in pure Python."""

"""The `/vsm` language: tokenizer, grammar, command table, specs, help, and the routes from a
parsed command to its use case."""

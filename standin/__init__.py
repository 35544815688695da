"""A stand-in for Slack on loopback: the Web API, response_url and upload URLs, and what Slack
sends to an app (signed requests). The test suite and `vsm-bot demo` both talk to it.

An edge like the real Slack: standard library only, and nothing of the bot's own code.
"""

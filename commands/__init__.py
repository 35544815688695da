"""What the bot does: use cases by capability (plain functions over the services that return
plain results), the `/vsm` language in slash/, and the Slack surfaces in listeners/."""

"""The launcher's logic, with no Qt: config-independent building blocks the UI and the CLI share."""

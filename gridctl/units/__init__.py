"""A town (or bureau) over its units: unit ledgers fetched into the town's repository and read
straight from git objects, through the same loader every command uses."""

"""Built-in profiles: default settings for each kind of grid in the seed texts."""

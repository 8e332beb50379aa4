"""Running the event extractor over new article versions and landing its records."""

"""Publishing the analyst copy of the warehouse."""

"""The analysts' HTML report, rebuilt after every publish of the analyst database."""

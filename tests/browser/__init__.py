"""Browser tests (marked ``browser``): the Dagster UI and the HTML report in headless Chromium."""

"""The analysts' HTML report: read the published analyst database, render one offline page.

No Dagster here: :func:`pipelines.report.build.build_report` reads the marts and writes the
file; the ``analyst_report`` asset only calls it.
"""

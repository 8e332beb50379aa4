"""The dbt project as Dagster assets: project location, translator, and the dbt assets."""

"""Where the dbt project is, as a ``DbtProject`` (prepared by ``make prepare``, never at import).

``dagster-dbt project prepare-and-package --file pipelines/defs/dbt/project.py`` loads this
file alone to build ``dbt/target/manifest.json``, so it must not define ``@dbt_assets`` and
must import nothing from the package that would need the manifest.
"""

from pathlib import Path

from dagster_dbt import DbtProject

# pipelines/defs/dbt/project.py -> the project root is three folders up.
DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

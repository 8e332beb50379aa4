"""Asset keys shared across the defs (the dbt sources name the raw ones in their meta)."""

import dagster as dg

FETCHED_PAYLOADS = dg.AssetKey("fetched_payloads")
RAW_FETCHES = dg.AssetKey(["raw", "fetches"])
RAW_ARTICLES = dg.AssetKey(["raw", "articles"])
RAW_EXTRACTIONS = dg.AssetKey(["raw", "extractions"])
RAW_EVENT_MENTIONS = dg.AssetKey(["raw", "event_mentions"])
RAW_CASUALTY_FIGURES = dg.AssetKey(["raw", "casualty_figures"])
RAW_ATTRIBUTIONS = dg.AssetKey(["raw", "attributions"])
RAW_EVIDENCE = dg.AssetKey(["raw", "evidence"])
ANALYST_DATABASE = dg.AssetKey("analyst_database")
ANALYST_REPORT = dg.AssetKey("analyst_report")

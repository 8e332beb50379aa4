"""Dagster definitions by role: assets, checks, jobs, schedules, resources."""

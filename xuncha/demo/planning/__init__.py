"""Demo data of planning: the seed rounds (domain.md §SEED-000, §SEED-004) on top of the registry demo."""

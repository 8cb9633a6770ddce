"""The ground floor: file helpers (`files`), logging (`logs`) and time budgets (`timelimit`).

Owns atomic writes, safe file stems, the cache and config folders, the log setup and the per-article
time limit. May import only `errors` and `data`; every other layer may import it.
"""

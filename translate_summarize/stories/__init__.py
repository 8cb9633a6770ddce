"""Stories: articles that report the same news, grouped (issue #23).

`fingerprint` (what is compared), `grouping` (which articles are one story, and what each adds),
`memory` (the stories of earlier runs, kept in the out-dir's state for `STORY_DAYS` days).
"""

"""A run of `brief`: inputs in, briefs written, stdout or mail out, every fault contained.

`runner.Run` reads the `inputs`, reuses unchanged briefs, hands the rest to an executor and writes
what comes back to the `output` folder (atomic, locked), appends to the `manifest`, and delivers
(`deliver`: stdout or sendmail). `terminal` draws the progress bar. May import every layer below it:
`executors`, `pipeline`, `render`, `sources`, `checks`, `engines`, `text`, `common`.
"""

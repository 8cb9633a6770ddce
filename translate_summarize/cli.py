"""`brief`: the command line. Thin: parse options, set up logging, hand over to `runner`."""

from __future__ import annotations

import logging
import os
import signal
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from . import __version__
from .common.logs import NOTICE, fatal_line, setup_logging
from .engines.models import (
    BACK_TRANSLATION_MODEL,
    BACK_TRANSLATION_REVISION,
    SUMMARIZATION_MODEL,
    SUMMARIZATION_REVISION,
    TRANSLATION_MODEL,
    TRANSLATION_REVISION,
    download,
)
from .engines.registry import prepare_engine
from .errors import (
    EXIT_CONFIG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_STDOUT_CLOSED,
    BriefError,
    ConfigError,
    DeliveryError,
    StorageError,
    storage_error,
    unexpected_reason,
)
from .run.terminal import BarProgress
from .settings import Device, Engine, Executor, Format, LogFormat, resolve
from .text.reader import DEFAULT_MAX_BYTES

log = logging.getLogger("brief")

EXAMPLES = """\
Examples:

\b
  brief seeds/000_*.txt                       brief articles: files in out/, the briefs on stdout
  brief https://www.example.nl/nieuws/artikel-123 --format text
  brief --feed https://www.example.nl/rss.xml --since 2026-11-28 --format text
  brief --download-models                     once, with network: the models into the cache
  brief --resend 2026-12-07 -o /var/lib/brief/out   send that day's mail again
  brief --serve -o /var/lib/brief/out         the archive and its search on http://127.0.0.1:8765/

\b
The nightly mail, a crontab line (06:00; brief expands the quoted pattern):
  0 6 * * * HF_HUB_OFFLINE=1 /opt/brief/.venv/bin/brief --quiet --sendmail --to redactie@example.org --out-dir /var/lib/brief/out '/var/lib/brief/in/*.txt'
"""

EPILOG = """\
Exit status: 0 every brief written (a pattern that matches no file is nothing to do, not an
error); 1 some inputs failed (the others were briefed); 2 usage, configuration or model error
(nothing briefed); 3 the out-dir is locked by another run and --no-wait was given; 4 --sendmail
could not deliver the mail (the briefs stay news for the next mail); 130 interrupted; 141 stdout
was closed early (`| head`): every brief was still written to --out-dir. A full disk or a read-only
or misplaced out-dir, state, lock or manifest is one line naming the path: exit 2 when nothing
was written, 1 when some briefs were.

Overlap: a second run on the same --out-dir waits for the first to finish (--no-wait: exit 3).
"""

# The panels of `brief --help`, in this order; an option without one (--help) goes in the last.
IN, OUT, MAIL, ARCHIVE, MODELS, FEEDS, SCALE, RUN = "Input", "Output", "Mail", "Archive", "Models", "Feeds and web pages", "Scale", "Run"
PANELS = (IN, OUT, MAIL, ARCHIVE, MODELS, FEEDS, SCALE, RUN)


class PanelledCommand(TyperCommand):
    """`--help` in plain text (the same in a terminal, a pipe and a cron mail), the options grouped
    under their `rich_help_panel` in `PANELS` order, and each value named by its metavar."""

    def format_options(self, ctx, formatter) -> None:
        panels: dict[str, list[tuple[str, str]]] = {panel: [] for panel in PANELS}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":  # as in the usage line, without its Python type
                record = (f"{param.metavar or param.name.upper()}...", param.help or "")
            panels[getattr(param, "rich_help_panel", None) or PANELS[-1]].append(record)
        for panel, records in panels.items():
            if records:
                with formatter.section(panel):
                    formatter.write_dl(records)


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        print(f"brief {__version__}")
        raise typer.Exit()


@app.command(cls=PanelledCommand, epilog=EXAMPLES + "\n" + EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
def brief(
    files: Annotated[Optional[list[str]], typer.Argument(metavar="FILES", show_default=False, rich_help_panel=IN, help="Article files (text, HTML or saved web pages, encoding detected), http(s) URLs or quoted patterns; `-` reads stdin. With --resend: WHEN, the day (2026-12-07) of the mail to send again")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", "-o", envvar="BRIEF_OUT_DIR", metavar="DIR", rich_help_panel=OUT, help="Folder for the brief files [default: out]")] = None,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", envvar="BRIEF_FORMAT", rich_help_panel=OUT, help="Output format [default: markdown]")] = None,
    digest: Annotated[Optional[bool], typer.Option("--digest/--no-digest", rich_help_panel=OUT, help="One document for the whole run on stdout")] = None,
    new_only: Annotated[Optional[bool], typer.Option("--new-only", rich_help_panel=OUT, help="Leave unchanged briefs out of stdout (they stay in --out-dir)")] = None,
    group: Annotated[Optional[bool], typer.Option("--group/--no-group", rich_help_panel=OUT, help="Group copies of one story (wire copy from several outlets, updates): summarized once, one entry in a digest with 'Also in' [default: group]")] = None,
    story_days: Annotated[Optional[int], typer.Option(metavar="DAYS", rich_help_panel=OUT, help="Days a briefed story is remembered in --out-dir, so a later copy or update joins it (0: this run only) [default: 3]")] = None,
    archive: Annotated[Optional[bool], typer.Option("--archive/--no-archive", rich_help_panel=ARCHIVE, help="Keep an archive in --out-dir: index.html with search, a page per day, an HTML page per brief, feed.xml [default: archive]")] = None,
    feed_entries: Annotated[Optional[int], typer.Option(metavar="N", rich_help_panel=ARCHIVE, help="Entries in --out-dir/feed.xml: the last N briefs (or runs) [default: 50]")] = None,
    feed_per_digest: Annotated[Optional[bool], typer.Option("--feed-per-digest", rich_help_panel=ARCHIVE, help="One feed entry per run (its digest) instead of one per brief")] = None,
    archive_url: Annotated[Optional[str], typer.Option(metavar="URL", rich_help_panel=ARCHIVE, help="Where --out-dir is served (https://example.org/briefs/): the feed's links become absolute [default: relative to the feed]")] = None,
    serve: Annotated[bool, typer.Option("--serve", show_default=False, rich_help_panel=ARCHIVE, help="Serve --out-dir on http://127.0.0.1:PORT/ for the archive's search (browsers refuse it from file://), until Ctrl-C")] = False,
    port: Annotated[int, typer.Option(metavar="PORT", rich_help_panel=ARCHIVE, help="Port for --serve")] = 8765,
    sendmail: Annotated[Optional[bool], typer.Option("--sendmail", rich_help_panel=MAIL, help="Mail the run's digest through BRIEF_SENDMAIL instead of stdout: the briefs no mail has carried yet (new and changed articles), and each failed input; implies --format email and --new-only. The mail sent is kept in DIR/.brief/mail/ (the last 14)")] = None,
    sendmail_command: Annotated[Optional[str], typer.Option(envvar="BRIEF_SENDMAIL", metavar="COMMAND", rich_help_panel=MAIL, help="Command that --sendmail pipes the mail to [default: /usr/sbin/sendmail -t -oi]")] = None,
    send_empty: Annotated[Optional[bool], typer.Option("--send-empty", rich_help_panel=MAIL, help="With --sendmail: send a short 'no new articles' mail when nothing is new and nothing failed")] = None,
    to: Annotated[Optional[list[str]], typer.Option("--to", envvar="BRIEF_MAIL_TO", metavar="ADDRESS", rich_help_panel=MAIL, help="Recipient for --format email; repeat it for more (config: to = [...])")] = None,
    sender: Annotated[Optional[str], typer.Option("--from", envvar="BRIEF_MAIL_FROM", metavar="ADDRESS", rich_help_panel=MAIL, help="Sender for --format email [default: brief@<fully qualified host name>]")] = None,
    subject: Annotated[Optional[str], typer.Option("--subject", metavar="TEXT", rich_help_panel=MAIL, help="Subject for --format email")] = None,
    resend: Annotated[bool, typer.Option("--resend", show_default=False, rich_help_panel=MAIL, help="Send the last mail kept in --out-dir again (or that of WHEN, a day given as FILES: --resend 2026-12-07), through the same sendmail command and check, then exit")] = False,
    translation_model: Annotated[Optional[str], typer.Option(envvar="BRIEF_TRANSLATION_MODEL", metavar="MODEL", rich_help_panel=MODELS, help=f"nl->en model: hub id or local folder [default: {TRANSLATION_MODEL}]")] = None,
    translation_revision: Annotated[Optional[str], typer.Option(envvar="BRIEF_TRANSLATION_REVISION", metavar="REVISION", rich_help_panel=MODELS, help=f"Hub revision [default: {TRANSLATION_REVISION}]")] = None,
    summarization_model: Annotated[Optional[str], typer.Option(envvar="BRIEF_SUMMARIZATION_MODEL", metavar="MODEL", rich_help_panel=MODELS, help=f"English summarizer [default: {SUMMARIZATION_MODEL}]")] = None,
    summarization_revision: Annotated[Optional[str], typer.Option(envvar="BRIEF_SUMMARIZATION_REVISION", metavar="REVISION", rich_help_panel=MODELS, help=f"Hub revision [default: {SUMMARIZATION_REVISION[:12]}…]")] = None,
    back_translation_model: Annotated[Optional[str], typer.Option(envvar="BRIEF_BACK_TRANSLATION_MODEL", metavar="MODEL", rich_help_panel=MODELS, help=f"en->nl model for the Dutch summary [default: {BACK_TRANSLATION_MODEL}]")] = None,
    back_translation_revision: Annotated[Optional[str], typer.Option(envvar="BRIEF_BACK_TRANSLATION_REVISION", metavar="REVISION", rich_help_panel=MODELS, help=f"Hub revision [default: {BACK_TRANSLATION_REVISION}]")] = None,
    device: Annotated[Optional[Device], typer.Option(envvar="BRIEF_DEVICE", rich_help_panel=MODELS, help="Where models run [default: auto]")] = None,
    engine: Annotated[Optional[Engine], typer.Option(envvar="BRIEF_ENGINE", rich_help_panel=MODELS, help="Inference engine [default: ctranslate2 when installed (the fast extra), else torch]")] = None,
    source_lang: Annotated[Optional[str], typer.Option(envvar="BRIEF_SOURCE_LANG", metavar="<nl|en|auto>", rich_help_panel=IN, help="Source language: nl, en (no translation), or auto [default: auto]")] = None,
    translation_memory: Annotated[Optional[bool], typer.Option("--translation-memory/--no-translation-memory", rich_help_panel=MODELS, help="Reuse known sentence translations from the SQLite cache [default: on]")] = None,
    glossary: Annotated[Optional[Path], typer.Option(envvar="BRIEF_GLOSSARY", metavar="FILE", rich_help_panel=MODELS, help="TSV of Dutch<TAB>English terms the translation must use (English = Dutch, or '=': keep as is); '#' starts a comment")] = None,
    confidence_floor: Annotated[Optional[float], typer.Option(metavar="C", rich_help_panel=MODELS, help="Mark translated sentences whose confidence (0-1, not a probability) is below C [default: 0.2]")] = None,
    confidence_relative: Annotated[Optional[float], typer.Option(metavar="F", rich_help_panel=MODELS, help="Also mark sentences below F times their article's median confidence [default: 0.5]")] = None,
    download_models: Annotated[Optional[bool], typer.Option("--download-models", rich_help_panel=MODELS, help="Fetch the configured models into the Hugging Face cache (and convert them for --engine ctranslate2), then exit")] = None,
    update_models: Annotated[Optional[bool], typer.Option("--update-models", rich_help_panel=MODELS, help="Like --download-models, but fetch moving revisions (main) again and record their new commits in the model lock")] = None,
    force: Annotated[Optional[bool], typer.Option("--force", rich_help_panel=IN, help="Redo briefs even when the article and settings are unchanged")] = None,
    wait: Annotated[Optional[bool], typer.Option("--wait/--no-wait", rich_help_panel=RUN, help="If another run holds --out-dir: wait for it, or exit 3 [default: wait]")] = None,
    max_bytes: Annotated[Optional[int], typer.Option(metavar="BYTES", rich_help_panel=IN, help=f"Skip inputs larger than this [default: {DEFAULT_MAX_BYTES}]")] = None,
    article_timeout: Annotated[Optional[float], typer.Option(envvar="BRIEF_ARTICLE_TIMEOUT", metavar="SECONDS", rich_help_panel=RUN, help="Wall-time budget of one article; an article past it fails, named, and the run goes on (0: none) [default: 1800]")] = None,
    feeds: Annotated[Optional[list[str]], typer.Option("--feed", metavar="FEED", rich_help_panel=FEEDS, help="RSS or Atom feed (URL or file) whose new and changed entries are briefed after FILES; repeatable (config: feeds = [...])")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", rich_help_panel=FEEDS, help="With --feed: leave out entries published before this date (2026-11-28: midnight local time; or a date-time, local unless it has an offset), and remember them as seen")] = None,
    fetch_timeout: Annotated[Optional[float], typer.Option(metavar="SECONDS", rich_help_panel=FEEDS, help="For URLs and feeds: seconds to connect and to wait for each read of an answer [default: 10]")] = None,
    fetch_retries: Annotated[Optional[int], typer.Option(metavar="N", rich_help_panel=FEEDS, help="For URLs and feeds: attempts after a network error or an HTTP 5xx, with backoff [default: 3]")] = None,
    allow_private_addresses: Annotated[Optional[bool], typer.Option("--allow-private-addresses", rich_help_panel=FEEDS, help="Fetch feed links and redirects that lead to loopback, private, link-local or reserved addresses (refused by default; a URL or feed given here is always fetched)")] = None,
    manifest: Annotated[Optional[Path], typer.Option(envvar="BRIEF_MANIFEST", metavar="FILE", rich_help_panel=OUT, help="Append one JSON line per input to this file as each completes (input, key, outputs, headline, checks, stage seconds, status)")] = None,
    batch_articles: Annotated[Optional[int], typer.Option(envvar="BRIEF_BATCH_ARTICLES", metavar="N", rich_help_panel=SCALE, help="Articles briefed together, their sentences and summaries in shared batches (1: one at a time) [default: 8]")] = None,
    executor: Annotated[Optional[Executor], typer.Option(envvar="BRIEF_EXECUTOR", rich_help_panel=SCALE, help="Where briefs are made: local (this process) or ray (a Ray actor pool; the ray extra) [default: local]")] = None,
    ray_address: Annotated[Optional[str], typer.Option(metavar="ADDRESS", rich_help_panel=SCALE, help="With --executor ray: the Ray cluster to join [default: Ray's RAY_ADDRESS, else a local cluster]")] = None,
    ray_actors: Annotated[Optional[int], typer.Option(metavar="N", rich_help_panel=SCALE, help="With --executor ray: actors in the pool, each loading the models once [default: 2]")] = None,
    ray_cpus_per_actor: Annotated[Optional[float], typer.Option(metavar="CPUS", rich_help_panel=SCALE, help="With --executor ray: CPUs Ray reserves for each actor [default: 1]")] = None,
    ray_gpus_per_actor: Annotated[Optional[float], typer.Option(metavar="GPUS", rich_help_panel=SCALE, help="With --executor ray: GPUs for each actor, fractions allowed [default: none]")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", envvar="BRIEF_CONFIG", metavar="FILE", rich_help_panel=RUN, help="TOML config [default: $XDG_CONFIG_HOME/brief/config.toml]")] = None,
    quiet: Annotated[Optional[bool], typer.Option("--quiet", "-q", rich_help_panel=RUN, help="Only errors on stderr")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, show_default=False, rich_help_panel=RUN, help="More detail on stderr (-vv for debug)")] = 0,
    log_format: Annotated[Optional[LogFormat], typer.Option(rich_help_panel=RUN, help="Log lines as text or JSON [default: text]")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, show_default=False, rich_help_panel=RUN, help="Show the version and exit")] = False,
) -> None:
    """Turn Dutch news articles into bilingual English/Dutch briefs.

    Each article is translated to English (opus-mt-nl-en), summarized (distilbart-cnn-12-6), the
    summary translated back to Dutch (opus-mt-en-nl), and a brief is written to --out-dir and to
    stdout (or, with --sendmail, mailed as one digest). Progress and logs go to stderr.
    """
    # Until the settings are resolved, a fatal error follows the flag or environment alone.
    fail_format = log_format.value if log_format else "text"
    try:
        settings = resolve(
            {
                "out_dir": out_dir,
                "format": fmt.value if fmt else None,
                "digest": digest,
                "new_only": new_only,
                "group": group,
                "story_days": story_days,
                "archive": archive,
                "feed_entries": feed_entries,
                "feed_per_digest": feed_per_digest,
                "archive_url": archive_url,
                "sendmail": sendmail,
                "sendmail_command": sendmail_command,
                "send_empty": send_empty,
                "to": _recipients(to),
                "sender": sender,
                "subject": subject,
                "translation_model": translation_model,
                "translation_revision": translation_revision,
                "summarization_model": summarization_model,
                "summarization_revision": summarization_revision,
                "back_translation_model": back_translation_model,
                "back_translation_revision": back_translation_revision,
                "device": device.value if device else None,
                "engine": engine.value if engine else None,
                "source_lang": source_lang,
                "translation_memory": translation_memory,
                "glossary": glossary,
                "confidence_floor": confidence_floor,
                "confidence_relative": confidence_relative,
                "max_bytes": max_bytes,
                "article_timeout": article_timeout,
                "feeds": tuple(feeds) if feeds else None,
                "since": since,
                "fetch_timeout": fetch_timeout,
                "fetch_retries": fetch_retries,
                "allow_private_addresses": allow_private_addresses,
                "batch_articles": batch_articles,
                "manifest": manifest,
                "executor": executor.value if executor else None,
                "ray_address": ray_address,
                "ray_actors": ray_actors,
                "ray_cpus_per_actor": ray_cpus_per_actor,
                "ray_gpus_per_actor": ray_gpus_per_actor,
                "force": force,
                "wait": wait,
                "download_models": download_models,
                "update_models": update_models,
                "quiet": quiet,
                "verbose": verbose or None,
                "log_format": log_format.value if log_format else None,
            },
            config,
        )
        quiet = settings.quiet
        fail_format = settings.log_format
        setup_logging(verbose=settings.verbose, quiet=quiet, log_format=settings.log_format)
        if serve:
            from .run.serve import serve as serve_out_dir

            serve_out_dir(settings.out_dir, port)
            return
        if resend:
            _resend(settings, files or [])
            raise typer.Exit(EXIT_OK)
        log.info("%s", settings.engine_line())
        if settings.download_models or settings.update_models:
            _download_models(settings.brief_options(use_lock=not settings.update_models))
            raise typer.Exit(EXIT_OK)
        if not files and not settings.feeds:
            raise typer.BadParameter("give at least one article file or URL (or `-` for stdin), or a --feed", param_hint="FILES")
        # The run's modules load here, after the settings are checked: `brief --help` and a bad flag stay fast.
        from .executors import check_executor
        from .run.runner import Run

        check_executor(settings.executor)  # e.g. --executor ray without Ray: one line, exit 2, before any work
        run_settings = settings.run_settings()
        if settings.since is not None and not settings.feeds:
            log.warning("--since does nothing without --feed")
        if settings.send_empty and not settings.sendmail:
            log.warning("--send-empty does nothing without --sendmail")
        if settings.sendmail and settings.format not in (None, "email"):
            log.warning("--sendmail mails the email format: format %s is not used (files in the out-dir are .eml)", settings.format)
        progress = BarProgress(stdout_is_terminal=sys.stdout.isatty()) if sys.stderr.isatty() and not quiet else None
        run = Run(run_settings, progress=progress)
        report = run.execute(list(files or []), sys.stdout.buffer)
    except DeliveryError as error:  # the briefs were made and written: say so, then why the mail was not
        if "run" in locals():
            log.log(NOTICE, "%s -> %s/", run.report.line, run.settings.out_dir)
        _fail(str(error), error.exit_code, fail_format)
    except StorageError as error:  # the out-dir, state or manifest cannot be written: 1 if some briefs were
        written = run.report.written if "run" in locals() else 0
        if written:
            log.log(NOTICE, "%s -> %s/ (then stopped)", run.report.line, run.settings.out_dir)
        _fail(str(error), EXIT_SOME_FAILED if written else error.exit_code, fail_format)
    except BriefError as error:
        _fail(str(error), error.exit_code, fail_format)
    except KeyboardInterrupt as signal_name:
        _fail(f"interrupted ({signal_name})" if str(signal_name) else "interrupted", EXIT_INTERRUPTED, fail_format)
    except OSError as error:  # a system error no layer named (a cache folder, the config): still one line
        log.info("traceback of the system error", exc_info=error)
        _fail(str(storage_error(error)), EXIT_CONFIG, fail_format)
    except (typer.Exit, typer.BadParameter, typer.Abort):
        raise
    except Exception as error:  # a bug outside any one input: one line, the traceback at -v
        log.info("traceback of the unexpected error", exc_info=error)
        _fail(unexpected_reason(error), EXIT_CONFIG, fail_format)
    summary = f"{report.line} -> {run_settings.out_dir}/"
    if report.failures:
        log.error("%s", summary)
        raise typer.Exit(EXIT_SOME_FAILED)
    log.log(NOTICE, "%s", summary)
    if report.stdout_closed:
        raise typer.Exit(EXIT_STDOUT_CLOSED)


def _download_models(options) -> None:
    """Fetch (and prepare) every configured model; record moving revisions' commits in the model lock."""
    from .engines.lock import is_commit, record, snapshot_commit

    commits = {}
    for spec in options.specs:
        folder = download(spec)
        log.warning("%s model %s is in %s", spec.role, spec.label, folder)
        prepared = prepare_engine(options.engine, folder, spec, options.device)
        if prepared:
            log.warning("%s model %s is %s in %s", spec.role, spec.label, prepared[1], prepared[0])
        commit = None if spec.is_local or is_commit(spec.revision) else snapshot_commit(Path(folder))
        if commit:
            commits[(spec.name, spec.revision or "main")] = commit
    if commits:
        path = record(commits)
        for (name, revision), commit in commits.items():
            log.warning("model lock %s: %s@%s is commit %s", path, name, revision, commit)


def _recipients(given: list[str] | None) -> tuple[str, ...] | None:
    """The --to values, each one entry; BRIEF_MAIL_TO is one entry as a whole (typer splits an
    environment value at spaces, which would cut `Jan Jansen <jan@example.nl>` apart)."""
    if not given:
        return None
    from_env = os.environ.get("BRIEF_MAIL_TO", "")
    return (from_env,) if from_env.strip() and given == from_env.split() else tuple(given)


def _resend(settings, when: list[str]) -> None:
    """`brief --resend [WHEN]`: the mail kept for the out-dir sent again (`run.deliver.resend`)."""
    from .run.deliver import resend, sendmail_argv
    from .run.output import sent_folder

    if len(when) > 1:
        raise typer.BadParameter("--resend takes one WHEN (a day, such as 2026-12-07), not several", param_hint="FILES")
    try:
        sendmail_argv(settings.sendmail_command)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    resend(sent_folder(settings.out_dir), when[0] if when else None, settings.sendmail_command)


def _fail(message: str, code: int, log_format: str = "text") -> None:
    print(fatal_line(message, log_format), file=sys.stderr)
    raise typer.Exit(code)


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt("SIGTERM")


def main() -> None:
    """Entry point: library warnings stay off the user's stderr unless -vvv. With `--log-format json`
    a usage error (an unknown option, a bad choice) is one JSON line too, not click's usage text."""
    if "-vvv" not in sys.argv:
        warnings.filterwarnings("ignore")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # systemd and `timeout` stop a run with SIGTERM: end it as Ctrl-C does (temporary files removed,
    # the lock let go, one line, exit 130) instead of dying silently.
    signal.signal(signal.SIGTERM, _terminated)
    argv = sys.argv[1:]
    if "--log-format=json" not in argv and not any(a == "--log-format" and b == "json" for a, b in zip(argv, argv[1:])):
        app()
        return
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as error:  # typer's click: UsageError, BadParameter, NoSuchOption, ...
        print(fatal_line(error.format_message(), "json"), file=sys.stderr)
        sys.exit(getattr(error, "exit_code", EXIT_CONFIG))
    except typer.Abort:
        print(fatal_line("interrupted", "json"), file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()

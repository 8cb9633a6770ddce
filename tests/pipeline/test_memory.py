"""Translation memory: SQLite round trip, model keys, concurrent writers, and no work for known sentences."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from translate_summarize.common.files import cache_dir
from translate_summarize.engines.identity import folder_fingerprint
from translate_summarize.engines.models import ModelSpec
from translate_summarize.pipeline.briefer import BriefOptions
from translate_summarize.pipeline.keys import cache_key
from translate_summarize.pipeline.memory import TranslationMemory, default_memory_path
from translate_summarize.pipeline.translate import TranslationOptions, Translator

from ..doubles import UpperEngine


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    with TranslationMemory(path, "model-a") as memory:
        memory.store({"Goedemorgen.": "Good morning.", "Dag.": "Bye."})
        assert memory.lookup(["Goedemorgen.", "Onbekend."]) == {"Goedemorgen.": "Good morning."}
    with TranslationMemory(path, "model-a") as reopened:  # persisted, not just held in memory
        assert reopened.lookup(["Dag.", "Goedemorgen."]) == {"Dag.": "Bye.", "Goedemorgen.": "Good morning."}
        assert reopened.count() == 2
        assert reopened  # an empty or full memory is always truthy: `if memory:` means 'have one'


def test_store_replaces_and_keeps_unicode(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite3", "k") as memory:
        memory.store({"‘Ik heb veel respect’, aldus Musk.": "first"})
        memory.store({"‘Ik heb veel respect’, aldus Musk.": "‘I have a lot of respect’, said Musk."})
        assert memory.lookup(["‘Ik heb veel respect’, aldus Musk."]) == {
            "‘Ik heb veel respect’, aldus Musk.": "‘I have a lot of respect’, said Musk."
        }


def test_empty_translations_are_not_pinned(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite3", "k") as memory:
        memory.store({"Zin.": "", "Andere zin.": "Other sentence."})
        assert memory.lookup(["Zin.", "Andere zin."]) == {"Andere zin.": "Other sentence."}


def test_lookup_of_many_sentences_is_chunked(tmp_path: Path) -> None:
    sources = {f"Zin nummer {i}.": f"Sentence number {i}." for i in range(2500)}
    with TranslationMemory(tmp_path / "m.sqlite3", "k") as memory:
        memory.store(sources)
        assert memory.lookup(list(sources) + ["nieuw"]) == sources


def test_keyed_by_model(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    with TranslationMemory(path, "opus-mt-nl-en|torch|aaa") as first:
        first.store({"Hallo.": "Hello."})
    with TranslationMemory(path, "opus-mt-nl-en|ctranslate2|bbb") as other:
        assert other.lookup(["Hallo."]) == {}
        other.store({"Hallo.": "Hi."})
    with TranslationMemory(path, "opus-mt-nl-en|torch|aaa") as first:
        assert first.lookup(["Hallo."]) == {"Hallo.": "Hello."}


def test_two_connections_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    one = TranslationMemory(path, "k")
    two = TranslationMemory(path, "k")
    try:
        one.store({"a": "A"})
        assert two.lookup(["a"]) == {"a": "A"}
        two.store({"b": "B"})
        assert one.lookup(["a", "b"]) == {"a": "A", "b": "B"}
        mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode.lower() == "wal"
    finally:
        one.close()
        two.close()


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    script = textwrap.dedent(
        """
        import sys
        from translate_summarize.pipeline.memory import TranslationMemory
        memory = TranslationMemory(sys.argv[1], "k")
        assert memory.available
        for i in range(150):  # many small transactions, to interleave with the other writer
            memory.store({f"{sys.argv[2]}-{i}": f"target {i}"})
        """
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(path), name]) for name in ("left", "right")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    wanted = [f"{name}-{i}" for name in ("left", "right") for i in range(150)]
    with TranslationMemory(path, "k") as memory:
        assert len(memory.lookup(wanted)) == 300


def test_repeated_sentences_cost_nothing(tmp_path: Path) -> None:
    engine = UpperEngine()
    memory = TranslationMemory(tmp_path / "memory.sqlite3", "fake|k")
    translator = Translator(engine, memory=memory)
    sentences = ["Eerste zin.", "Tweede zin.", "Eerste zin.", "", "Derde zin."]

    assert translator.translate(sentences) == ["EERSTE ZIN.", "TWEEDE ZIN.", "EERSTE ZIN.", "", "DERDE ZIN."]
    assert sorted(engine.texts) == ["Derde zin.", "Eerste zin.", "Tweede zin."]  # duplicates translated once

    calls = len(engine.calls)
    assert translator.translate(list(reversed(sentences))) == ["DERDE ZIN.", "", "EERSTE ZIN.", "TWEEDE ZIN.", "EERSTE ZIN."]
    assert len(engine.calls) == calls  # everything came from the memory
    assert translator.stats.cached == 3

    # A new process (a new Translator and memory object) benefits too; only the new sentence is translated.
    engine2 = UpperEngine()
    translator2 = Translator(engine2, memory=TranslationMemory(tmp_path / "memory.sqlite3", "fake|k"))
    assert translator2.translate(["Tweede zin.", "Vierde zin."]) == ["TWEEDE ZIN.", "VIERDE ZIN."]
    assert engine2.texts == ["Vierde zin."]


def test_unusable_memory_does_not_stop_translation(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the memory's folder should be")
    memory = TranslationMemory(blocker / "memory.sqlite3", "k")
    assert not memory.available
    engine = UpperEngine()
    assert Translator(engine, memory=memory).translate(["Zin."]) == ["ZIN."]
    memory.store({"a": "b"})  # a no-op, not an error
    assert memory.lookup(["a"]) == {}


def test_one_cache_key_changes_with_exactly_the_settings_that_change_output(tmp_path: Path) -> None:
    options = BriefOptions(engine="ctranslate2", device="cpu")
    spec = options.translation
    base = cache_key(options, model=spec)
    assert base == cache_key(options, model=spec)
    assert base.startswith("Helsinki-NLP/opus-mt-nl-en|ctranslate2|")
    other_revision = replace(spec, revision="abc123")
    assert base != cache_key(replace(options, translation=other_revision), model=other_revision)
    assert base != cache_key(options, model=options.back_translation)
    assert base != cache_key(replace(options, engine="torch"), model=spec)
    assert base != cache_key(replace(options, device="cuda"), model=spec)
    # How, not what: batching, the memory switch and the size limit leave both keys alone.
    same = replace(options, batching=TranslationOptions(max_batch_size=4), translation_memory=False, max_bytes=10)
    assert cache_key(same, model=spec) == base
    brief = cache_key(options, article="a" * 64)
    assert cache_key(same, article="a" * 64) == brief
    assert brief != cache_key(options, article="b" * 64)
    assert brief != cache_key(replace(options, source_lang="en"), article="a" * 64)
    assert brief != cache_key(replace(options, device="cuda"), article="a" * 64)  # the old brief key ignored it
    assert brief != cache_key(replace(options, summarization=replace(options.summarization, revision="x")), article="a" * 64)


def test_memory_key_of_a_local_folder_follows_its_contents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"d_model": 8}')
    (folder / "model.safetensors").write_bytes(b"weights-1")
    spec = ModelSpec("translation", str(folder))
    options = BriefOptions(translation=spec, engine="torch")
    first = cache_key(options, model=spec)
    assert first == cache_key(options, model=spec)
    brief = cache_key(options, article="a")
    (folder / "model.safetensors").write_bytes(b"weights-2")  # retrained in place: old translations are stale
    assert cache_key(options, model=spec) != first
    assert cache_key(options, article="a") != brief
    copy = tmp_path / "elsewhere" / "model"
    copy.parent.mkdir()
    __import__("shutil").copytree(folder, copy)
    assert folder_fingerprint(copy) == folder_fingerprint(folder)  # contents, not the path
    (copy / "config.json").write_text('{"d_model": 16}')
    assert folder_fingerprint(copy) != folder_fingerprint(folder)


def test_default_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "brief-cache"))
    assert default_memory_path() == tmp_path / "brief-cache" / "memory.sqlite3"
    monkeypatch.delenv("BRIEF_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_memory_path() == tmp_path / "xdg" / "brief" / "memory.sqlite3"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "brief"
    monkeypatch.delenv("HOME")
    assert cache_dir().parent == Path(__import__("tempfile").gettempdir())

"""`--executor ray`: the same briefs as `--executor local`, on a local Ray cluster shared by the module.

The cluster is `ray.init(num_cpus=2)`, started once here; the runner finds Ray initialised and uses it
(it starts or joins a cluster only when none is). Its processes get this module's isolated HOME, caches
and SOURCE_DATE_EPOCH, since they outlive any one test's environment.
"""

from __future__ import annotations

import os
import sys
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.data import Article, Block, BlockKind, Source
from translate_summarize.executors import ExecutorOptions
from translate_summarize.executors.ray_executor import (
    INSTALL_HINT,
    BriefActor,
    RayExecutor,
    article_from_json,
    article_to_json,
)
from translate_summarize.run.options import RunSettings
from translate_summarize.run.runner import Run

from ..conftest import MODEL_ARGS, ROOT, fixture_options
from ..test_cli import run_brief
from .. import conftest

runner = CliRunner()
KILL_FLAG = "BRIEF_TEST_KILL_FLAG"  # an actor that finds this file removes it and dies (KillingActor)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    home = tmp_path_factory.mktemp("ray-home")
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "BRIEF_CACHE_DIR": str(home / ".cache" / "brief"),
        "HF_HOME": str(home / "hf"),
        "HF_HUB_OFFLINE": "1",
        "SOURCE_DATE_EPOCH": "1790000000",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),  # tests.executors.test_ray
        KILL_FLAG: str(home / "kill-an-actor"),
    }
    with pytest.MonkeyPatch.context() as patch:  # the cluster's processes inherit this environment
        for name, value in env.items():
            patch.setenv(name, value)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield Path(env[KILL_FLAG])
    ray.shutdown()


class KillingActor(BriefActor):
    """Dies (os._exit, as a crash or the OOM killer would) on the first batch after the flag file appears."""

    def __call__(self, batch):
        try:
            os.unlink(os.environ[KILL_FLAG])
        except FileNotFoundError:
            return super().__call__(batch)
        os._exit(1)


class PoisonActor(BriefActor):
    """Its briefer raises on any batch with an article that says GIFTIG, as a bug on odd input would."""

    def __init__(self, *args):
        super().__init__(*args)
        real = self.briefer.brief_batch

        def brief_batch(articles, on_stage=None):
            if any("GIFTIG" in article.text for article in articles):
                raise ValueError("giftig artikel")
            return real(articles, on_stage)

        self.briefer.brief_batch = brief_batch


def edited_copies(folder: Path, count: int) -> list[str]:
    """Short articles (the sample's first five blocks, a subheading among them), so these tests stay quick."""
    return conftest.edited_copies(folder, count, blocks=5)


def _cli(inputs: list[str], out: Path, *args: str):
    return runner.invoke(app, [*inputs, *MODEL_ARGS, "--out-dir", str(out), *args])


def _files(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.glob("*.md"))}


def test_ray_gives_the_same_briefs_as_local(cluster, tmp_path):
    inputs = edited_copies(tmp_path / "in", 12)
    local = _cli(inputs, tmp_path / "local", "--executor", "local")
    assert local.exit_code == 0, local.stderr
    ray = _cli(inputs, tmp_path / "ray", "--executor", "ray", "--ray-actors", "2", "--batch-articles", "2")
    assert ray.exit_code == 0, ray.stderr
    assert "12 briefed, 0 unchanged, 0 failed" in ray.stderr
    assert len(_files(tmp_path / "ray")) == 12
    assert _files(tmp_path / "ray") == _files(tmp_path / "local")
    assert ray.stdout_bytes == local.stdout_bytes  # the briefs, in input order, and nothing of Ray's


def test_a_bad_input_is_named_and_the_others_are_briefed(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(RayExecutor, "actor_class", PoisonActor)
    inputs = edited_copies(tmp_path / "in", 5)
    poison = tmp_path / "in" / "giftig.txt"
    poison.write_text("Een GIFTIG bericht over de gemeente.\n\nDe raad vergaderde lang.\n", encoding="utf-8")
    (tmp_path / "in" / "leeg.txt").write_text("")
    inputs = [inputs[0], str(poison), *inputs[1:3], str(tmp_path / "in" / "leeg.txt"), *inputs[3:]]
    result = _cli(inputs, tmp_path / "out", "--executor", "ray", "--batch-articles", "3")
    assert result.exit_code == 1, result.stderr
    assert f"{poison}: could not be briefed (ValueError: giftig artikel)" in result.stderr  # in the actor
    assert "leeg.txt: " in result.stderr  # on the driver, never shipped
    assert "5 briefed, 0 unchanged, 2 failed" in result.stderr
    assert sorted(_files(tmp_path / "out")) == [f"{n:03d}_artikel.md" for n in range(5)]


def test_an_actor_killed_mid_run_is_restarted_and_the_run_completes(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(RayExecutor, "actor_class", KillingActor)
    inputs = edited_copies(tmp_path / "in", 6)
    cluster.write_text("")
    result = _cli(inputs, tmp_path / "out", "--executor", "ray", "--ray-actors", "2", "--batch-articles", "1")
    assert result.exit_code == 0, result.stderr
    assert not cluster.exists()  # an actor did die on it
    assert "6 briefed, 0 unchanged, 0 failed" in result.stderr
    assert len(_files(tmp_path / "out")) == 6
    assert result.stdout_bytes == b"\n".join(_files(tmp_path / "out").values())


def test_a_second_run_ships_nothing_to_ray(cluster, tmp_path, monkeypatch):
    import ray.data

    inputs = edited_copies(tmp_path / "in", 3)
    settings = RunSettings(out_dir=tmp_path / "out", brief=fixture_options(), executor=ExecutorOptions("ray", ray_actors=1))
    shipped = []
    real = ray.data.from_items
    monkeypatch.setattr(ray.data, "from_items", lambda items, **kw: shipped.append(len(items)) or real(items, **kw))
    first = Run(settings).execute(inputs, BytesIO())
    assert (first.made, shipped) == (3, [3])
    again = Run(settings).execute(inputs, BytesIO())
    assert (again.made, again.unchanged, shipped) == (0, 3, [3])  # no dataset, no actor, no cluster call


def test_brief_starts_its_own_local_cluster_and_stdout_is_only_the_brief(tmp_path):
    pytest.importorskip("ray")
    inputs = edited_copies(tmp_path / "in", 2)
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    result = run_brief([*inputs, *MODEL_ARGS, "--out-dir", str(tmp_path / "out"), "--executor", "ray", "--ray-actors", "1"], env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b"\n".join(_files(tmp_path / "out").values())
    assert b"Traceback" not in result.stderr


def test_without_ray_executor_ray_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails, as where the extra is not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    result = _cli(edited_copies(tmp_path / "in", 1), tmp_path / "out", "--executor", "ray")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and INSTALL_HINT in result.stderr, result.stderr
    assert result.stdout == "" and not (tmp_path / "out").exists()  # said before any work


def test_an_article_travels_to_the_actors_whole():
    article = Article(Path("in/a.txt"), "a", (Block(BlockKind.TITLE, "Kop \udc80"), Block(BlockKind.PARAGRAPH, "Tekst.")),
                      date="2021-09", encoding="cp1252", sha256="ab", source=Source(url="https://example.org/a", outlet="NOS"))
    text = article_to_json(article)
    assert text.isascii() and article_from_json(text) == article  # a lone surrogate too, as Arrow needs
    plain = Article(Path("b.txt"), "b", (Block(BlockKind.PARAGRAPH, "Tekst."),))
    assert article_from_json(article_to_json(plain)) == plain

"""CTranslate2 engine: the same `Seq2SeqEngine` interface as `TorchEngine`, several times faster on CPU.

The model is converted once (int8 weights on CPU, float16 on CUDA; `ct2_convert.py`) and loaded from
that cache. Tokenization stays with the model's own Hugging Face tokenizer, and decoding settings come
from the model's own `generation_config` (beams, length penalty, early stopping as patience, n-gram
blocking, min/max length, forced BOS, banned tokens), mapped onto CTranslate2's options, so both
engines produce the same text.

At the length limit, Hugging Face forces the end token (`forced_eos_token_id`) where CTranslate2 decodes
freely: CTranslate2 decodes as far as HF counts and reads what reached the limit as HF's forced end
(`forced_end.py`), so the two rank the hypotheses cut there alike (a summary's closing `”` included).
"""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError
from .base import Generated, Hypothesis, clean_decoded, input_limit, mean_log_prob
from .ct2_convert import (
    _convert,
    _label,
    _require_ctranslate2,
    default_quantization,
    prepare,
    release_memory,
    resolve_ct2_device,
    usable_cores,
)
from .forced_end import at_forced_end
from .registry import register_engine

log = logging.getLogger(__name__)


# Hugging Face's `early_stopping` in CTranslate2's terms. CTranslate2 ends a beam search once
# beam_size * patience hypotheses have ended (patience: Kasai et al. 2022, arXiv 2204.05424).
# True ends at num_beams hypotheses: patience 1. False (the default, and what the opus-mt configs
# leave) goes on while a running beam could still outscore the finished ones, a heuristic CTranslate2
# lacks; "never" goes on to the length limit. With patience 1 a copying model ended
# `Zij zei: ... en toen was het stil.` at `Zij zei: ..` (three short hypotheses had ended first);
# patience 2 gives torch's output on every sentence of tests/data/parity_nl.txt.
EARLY_STOPPING_PATIENCE: dict[Any, float] = {True: 1.0, False: 2.0, None: 2.0, "never": 4.0}


def early_stopping_patience(early_stopping: Any) -> float:
    """CTranslate2's `patience` for a generation_config `early_stopping` value (True, False or "never")."""
    return EARLY_STOPPING_PATIENCE.get(early_stopping, EARLY_STOPPING_PATIENCE[None])


def _generation_config(folder: Path, config: Any):
    from transformers import GenerationConfig

    try:
        return GenerationConfig.from_pretrained(folder, local_files_only=True)
    except OSError:  # no generation_config.json: transformers derives one from config.json
        return GenerationConfig.from_model_config(config)


@register_engine("ctranslate2", preference=10)
class CTranslate2Engine:
    """A seq2seq model run by `ctranslate2.Translator`, tokenized by its own Hugging Face tokenizer."""

    name = "ctranslate2"
    prepared = "converted for CTranslate2"

    @classmethod
    def available(cls) -> bool:
        """Whether the `fast` extra (the ctranslate2 package) is installed."""
        return importlib.util.find_spec("ctranslate2") is not None

    @classmethod
    def load(cls, folder: Path, spec: Any, *, device: str, workers: int | None = None) -> CTranslate2Engine:
        return cls(folder, spec, device=device, workers=workers)

    @classmethod
    def prepare(cls, folder: Path, spec: Any, device: str) -> Path:
        """Convert ahead of time (`brief --download-models`), so briefing runs only load."""
        return prepare(folder, spec, device)

    def __init__(
        self,
        folder: Path,
        spec: Any = None,
        device: str = "auto",
        *,
        compute_type: str | None = None,
        cache: Path | None = None,
        workers: int | None = None,
        intra_threads: int | None = None,
    ):
        ctranslate2 = _require_ctranslate2()
        from transformers import AutoConfig, AutoTokenizer

        folder = Path(folder)
        label = _label(spec, folder)
        self.device = resolve_ct2_device(device)
        self.compute_type = compute_type or default_quantization(self.device)
        self.model_dir, self.converted = _convert(folder, spec, self.compute_type, cache, label)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.config = AutoConfig.from_pretrained(folder, local_files_only=True)
        self.generation_config = _generation_config(folder, self.config)
        self.max_input_tokens = input_limit(self.tokenizer, self.config)
        self.default_max_length = int(self.generation_config.max_length or self.max_input_tokens)
        fall_back = device == "auto" and compute_type is None
        self.translator = self._open(ctranslate2, label, workers, intra_threads, fall_back=fall_back)
        if self.converted:  # the conversion's freed buffers would otherwise stay in the RSS of a first run
            release_memory()
        self._vocabulary = self._target_vocabulary()

    def _open(
        self, ctranslate2: Any, label: str, workers: int | None, intra_threads: int | None, fall_back: bool
    ) -> Any:
        """The loaded translator; on CUDA, proved to run, since CTranslate2 loads cuBLAS at first use.

        On CPU, every core this process may run on is used: by default as that many single-threaded
        workers, each decoding its share of a batch (beam search over a 512-wide model hardly gains from
        a second thread, and on a 2-core box two threads per step ran 1.4x slower and less steadily than
        two workers); `workers=1` puts all cores into one batch instead (one long input, e.g. a summary).
        """
        cores = usable_cores() if self.device == "cpu" else 1
        self.workers = max(1, workers or cores) if self.device == "cpu" else 1
        self.intra_threads = intra_threads or max(1, cores // self.workers)
        try:
            translator = ctranslate2.Translator(
                str(self.model_dir),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=self.workers,
                intra_threads=self.intra_threads,
            )
            if self.device == "cuda":  # a short real input, so every kind of kernel is loaded now
                ids = self.tokenizer("Een korte zin om te proberen.")["input_ids"]
                probe = self.tokenizer.convert_ids_to_tokens(ids)
                translator.translate_batch([probe, probe[:3]], beam_size=2, max_decoding_length=4)
            return translator
        except (RuntimeError, ValueError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if self.device == "cuda" and fall_back:
                log.warning("CTranslate2 cannot use the GPU (%s); running %s on the CPU", reason, label)
                self.device, self.compute_type = "cpu", default_quantization("cpu")
                return self._open(ctranslate2, label, workers, intra_threads, fall_back=False)
            if self.device == "cpu":  # not a GPU matter: the converted files themselves
                raise ModelUnavailableError(
                    f"model {label} could not be loaded by CTranslate2 from {self.model_dir} ({reason}); "
                    "delete that folder to convert it again, or use --engine torch"
                ) from error
            raise ModelUnavailableError(
                f"model {label} could not be loaded by CTranslate2 on {self.device} ({reason}); "
                f"use --device cpu or --engine torch, or delete {self.model_dir} to convert it again"
            ) from error

    def _target_vocabulary(self) -> set[str]:
        for name in ("shared_vocabulary.json", "target_vocabulary.json"):
            path = self.model_dir / name
            if path.is_file():
                return set(json.loads(path.read_text(encoding="utf-8")))
        return set()

    def count_tokens(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts, truncation=False)["input_ids"]]

    def _tokens(self, ids: list[int] | int | None) -> list[str]:
        if ids is None:
            return []
        return self.tokenizer.convert_ids_to_tokens([ids] if isinstance(ids, int) else list(ids))

    def decoding_options(self, **overrides: Any) -> dict[str, Any]:
        """CTranslate2 options equivalent to the generation_config updated with `overrides`.

        Lengths (tokens): HF counts `max_length`/`min_length` including the decoder start token, and
        `max_new_tokens`/`min_new_tokens` including a forced BOS and the final EOS; CTranslate2 counts
        generated tokens including the target prefix (the forced BOS) and an end token in its last step.
        Where HF forces the end token in that step (`forces_end`), CTranslate2 decodes it freely and
        `generate` reads what it put there as HF's end token.
        """
        config = self.generation_config.to_dict()
        config.update({key: value for key, value in overrides.items() if value is not None})
        if overrides.get("max_new_tokens") is not None:
            config.pop("max_length", None)
        if overrides.get("min_new_tokens") is not None:
            config.pop("min_length", None)

        forced_bos = config.get("forced_bos_token_id")
        prefix = self._tokens(forced_bos) if forced_bos is not None else []

        max_new = config.get("max_new_tokens")
        if max_new is None:
            max_new = int(config.get("max_length") or self.default_max_length) - 1
        min_new = config.get("min_new_tokens")
        if min_new is None:
            min_new = max(0, int(config.get("min_length") or 0) - 1)  # HF's min_length counts the decoder start
        # Both budgets count an end token in the last step (HF's forced one when forced_eos_token_id is set,
        # see `at_forced_end`). HF may end right after `min_new` tokens; so may CTranslate2 after `min_decoding_length`.
        max_decoding = max(len(prefix) + 1, int(max_new))
        min_decoding = max(0, int(min_new))

        options: dict[str, Any] = {
            "beam_size": int(config.get("num_beams") or 1),
            "patience": early_stopping_patience(config.get("early_stopping")),
            "length_penalty": float(1.0 if config.get("length_penalty") is None else config["length_penalty"]),
            "repetition_penalty": float(config.get("repetition_penalty") or 1.0),
            "no_repeat_ngram_size": int(config.get("no_repeat_ngram_size") or 0),
            "max_decoding_length": max_decoding,
            "min_decoding_length": min(min_decoding, max_decoding),
            "max_input_length": 0,  # the callers already keep inputs within the model's limit
        }
        # renormalize_logits needs no option: CTranslate2 applies penalties and suppressions to the logits
        # before its log-softmax, so its scores are always the renormalised ones.
        banned = []
        for ids in config.get("bad_words_ids") or []:
            tokens = self._tokens(ids)
            if tokens and all(token in self._vocabulary for token in tokens):
                banned.append(tokens)
        if banned:
            options["suppress_sequences"] = banned
        if config.get("do_sample"):
            options["beam_size"] = 1
            options["sampling_topk"] = int(config.get("top_k") or 0)
            options["sampling_topp"] = float(config.get("top_p") or 1.0)
            options["sampling_temperature"] = float(config.get("temperature") or 1.0)
        options["_prefix"] = prefix
        return options

    def forces_end(self, **overrides: Any) -> bool:
        """Whether HF, with the generation_config updated by `overrides`, forces the end token in the last
        position its length limit allows (`forced_eos_token_id`)."""
        forced = overrides.get("forced_eos_token_id")
        return (self.generation_config.forced_eos_token_id if forced is None else forced) is not None

    def source_tokens(self, texts: list[str]) -> list[list[str]]:
        """What CTranslate2 reads: the tokenizer's pieces, end-of-sentence token included, never truncated."""
        encoded = self.tokenizer(texts, truncation=False)["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]

    def run_batch(
        self, sources: list[list[str]], target_prefix: list[list[str]] | None = None, **options: Any
    ) -> list:
        """`translate_batch` over the workers: length-sorted sources dealt out in turn, a like share each.

        Results come back in the order of `sources`. Each share is one batch, from which CTranslate2
        drops a sentence once it has ended.
        """
        shares = min(self.workers, len(sources))
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        parts = [order[k::shares] for k in range(shares)]
        try:
            jobs = [
                self.translator.translate_batch(
                    [sources[i] for i in part],
                    target_prefix=[target_prefix[i] for i in part] if target_prefix else None,
                    asynchronous=True,  # the shares run side by side, one per worker
                    **options,
                )
                for part in parts
            ]
            results: list = [None] * len(sources)
            for part, job in zip(parts, jobs):
                for i, result in zip(part, job):
                    results[i] = result.result()
        except RuntimeError as error:  # e.g. a CUDA library CTranslate2 loads at first use is missing
            if "cannot be loaded" not in str(error) and "CUDA" not in str(error):
                raise
            raise ModelUnavailableError(
                f"CTranslate2 on {self.device} failed ({str(error).strip()}); use --device cpu or --engine torch"
            ) from error
        return results

    def generate(self, texts: list[str], *, num_hypotheses: int = 1, **overrides: Any) -> list[Generated]:
        """Decode `texts` as `TorchEngine.generate` does; `num_hypotheses` > 1 adds the n-best list."""
        if not texts:
            return []
        options = self.decoding_options(**overrides)
        prefix = options.pop("_prefix")
        forced_end = self.forces_end(**overrides)
        beam_size = int(options["beam_size"])
        n_best = max(1, min(int(num_hypotheses), beam_size))
        # Ranked as HF ranks them, the hypotheses that reach the forced end may overtake the best one, so
        # the whole beam comes back. That changes no search: CTranslate2 stops a beam early on its first
        # hypotheses' count only without a length penalty, where the forced end changes no ranking.
        asked = beam_size if forced_end and options["length_penalty"] != 0 else n_best
        sources = self.source_tokens(texts)
        results = self.run_batch(
            sources,
            [list(prefix) for _ in sources] if prefix else None,
            num_hypotheses=asked,
            return_scores=asked > 1,
            return_end_token=True,  # tells an ended hypothesis from one cut at max_decoding_length
            **options,
        )
        end_token = self.tokenizer.eos_token  # the converters give CTranslate2 the tokenizer's end token
        ends = at_forced_end(
            [[list(tokens) for tokens in result.hypotheses] for result in results],
            [list(result.scores) or [0.0] * len(result.hypotheses) for result in results],
            limit=int(options["max_decoding_length"]),
            forced=forced_end,
            end_token=end_token,
            length_penalty=float(options["length_penalty"]),
            prefix_length=len(prefix),
            token_log_probs=lambda pairs: self._token_log_probs(sources, pairs),
        )
        out = []
        for text, source, hypotheses in zip(texts, sources, ends):
            hypotheses = hypotheses[:n_best]
            # Decoded exactly as TorchEngine decodes (same special-token skipping and space clean-up).
            decoded = [
                clean_decoded(line, text)
                for line in self.tokenizer.batch_decode(
                    [self.tokenizer.convert_tokens_to_ids(h.tokens) for h in hypotheses], skip_special_tokens=True
                )
            ]
            best = hypotheses[0]
            # Output tokens counted like TorchEngine: generated tokens including the forced BOS and the EOS.
            nbest = tuple(Hypothesis(line, h.score) for line, h in zip(decoded, hypotheses)) if n_best > 1 else ()
            out.append(Generated(decoded[0], len(source), best.length, best.finished, nbest))
        return out

    def score(self, sources: list[str], targets: list[str]) -> list[float]:
        """The mean log-probability (nats per token, end token included) of each target given its source,
        from `Translator.score_batch` (as `TorchEngine.score`). Texts longer than the model's positions
        are cut there."""
        if not sources:
            return []
        limit = self.max_input_tokens
        source_tokens = [tokens[: limit - 1] + tokens[-1:] if len(tokens) > limit else tokens for tokens in self.source_tokens(sources)]
        end = self.tokenizer.eos_token
        target_ids = self.tokenizer(text_target=targets, truncation=False)["input_ids"]
        # CTranslate2 adds the end token to each target itself.
        target_tokens = [[t for t in self.tokenizer.convert_ids_to_tokens(ids) if t != end][: limit - 1] for ids in target_ids]
        scored = self.translator.score_batch(source_tokens, target_tokens, max_input_length=0)
        return [mean_log_prob(list(result.log_probs)) for result in scored]

    def _token_log_probs(self, sources: list[list[str]], pairs: list[tuple[int, list[str]]]) -> list[list[float]]:
        """For (source index, target tokens) pairs: log P(each target token | its source and the tokens
        before it), as CTranslate2 scores them (one list per pair, as long as its target)."""
        targets = [target for _, target in pairs]
        scored = self.translator.score_batch([sources[i] for i, _ in pairs], targets, max_input_length=0)
        return [list(result.log_probs[: len(target)]) for result, (_, target) in zip(scored, pairs)]

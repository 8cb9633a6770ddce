"""The torch engine: Hugging Face `generate()` with the model's own `generation_config`.

`TorchEngine` implements `base.Seq2SeqEngine`; callers pass only what depends on the input (e.g.
`max_new_tokens`). The CTranslate2 engine (`ct2_engine.py`) implements the same `generate`/`count_tokens` pair.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError
from .base import Generated, Hypothesis, clean_decoded, input_limit, mean_log_prob
from .registry import register_engine

log = logging.getLogger(__name__)

# The most logits (target tokens x vocabulary) one scoring pass holds: 32M floats, 128 MB in float32
# (opus-mt's 67k vocabulary: about 480 target tokens a batch).
SCORE_LOGITS = 32 * 1024 * 1024


def resolve_device(device: str) -> str:
    """`auto` means CUDA when torch sees a GPU, else CPU; ModelUnavailableError (one line) for `cuda`
    where torch cannot use a GPU."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelUnavailableError(f"--device {device}: torch sees no usable CUDA GPU here; use --device cpu or auto")
    return device


@register_engine("torch")
class TorchEngine:
    """A Hugging Face seq2seq model and its tokenizer, loaded once from a local folder."""

    name = "torch"

    @classmethod
    def available(cls) -> bool:
        return True  # torch is a dependency

    @classmethod
    def load(cls, folder: Path, spec: Any = None, *, device: str, workers: int | None = None) -> TorchEngine:
        return cls(folder, device=device)

    def __init__(self, folder: Path, device: str = "cpu", compute_type: str | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # stderr is for our progress and logs only
        self._torch = torch
        self.device = resolve_device(device)
        # Half precision on a GPU (half the memory, tensor cores), as CTranslate2 does; fp32 on CPU.
        self.compute_type = compute_type or ("float16" if self.device.startswith("cuda") else "float32")
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(
            folder, local_files_only=True, dtype=getattr(torch, self.compute_type)
        )
        self.model.to(self.device).eval()
        self.generation_config = self.model.generation_config
        self.max_input_tokens = input_limit(self.tokenizer, self.model.config)
        self.default_max_length = int(self.generation_config.max_length or self.max_input_tokens)

    def count_tokens(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts, truncation=False)["input_ids"]]

    def generate(self, texts: list[str], *, num_hypotheses: int = 1, **overrides: Any) -> list[Generated]:
        """Decode `texts` with the generation_config updated by `overrides`; one `Generated` per text.

        `num_hypotheses` > 1 also returns that many beam hypotheses (at most `num_beams`), best first.
        """
        if not texts:
            return []
        encoded = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False).to(self.device)
        config = self.generation_config.to_dict()
        config.update({key: value for key, value in overrides.items() if value is not None})
        if config.get("max_new_tokens") is not None and self.model.config.is_encoder_decoder:
            # Same limit as max_new_tokens (the decoder starts with one token), without the library
            # warning that both max_length and max_new_tokens are set.
            config["max_length"] = config.pop("max_new_tokens") + 1
        n_best = max(1, min(int(num_hypotheses), int(config.get("num_beams") or 1)))
        config.update(num_return_sequences=n_best, return_dict_in_generate=True, output_scores=n_best > 1)
        generation_config = type(self.generation_config).from_dict(config)
        with self._torch.inference_mode():
            output = self.model.generate(**encoded, generation_config=generation_config)
        sequences = output.sequences
        decoded = [
            clean_decoded(text, texts[i // n_best])
            for i, text in enumerate(self.tokenizer.batch_decode(sequences, skip_special_tokens=True))
        ]
        scores = output.sequences_scores.tolist() if n_best > 1 else [0.0] * len(decoded)
        input_lengths = encoded["attention_mask"].sum(dim=1).tolist()
        limit = int(generation_config.max_length)
        results = []
        for index, n_in in enumerate(input_lengths):
            first = index * n_best
            length, finished = self._output_length(sequences[first].tolist(), limit)
            hypotheses = tuple(Hypothesis(decoded[first + k], float(scores[first + k])) for k in range(n_best))
            results.append(Generated(decoded[first], int(n_in), length, finished, hypotheses if n_best > 1 else ()))
        return results

    def score(self, sources: list[str], targets: list[str]) -> list[float]:
        """The mean log-probability (nats per token, end token included) of each target given its source,
        by teacher-forced forward passes: the same number CTranslate2's `score_batch` gives. Texts longer
        than the model's positions are cut there. Pairs go in length-sorted batches whose logits
        (target tokens x vocabulary) stay within `SCORE_LOGITS` floats."""
        if not sources:
            return []
        limit = self.max_input_tokens
        source_ids = self.tokenizer(sources, truncation=True, max_length=limit)["input_ids"]
        target_ids = self.tokenizer(text_target=targets, truncation=True, max_length=limit)["input_ids"]
        vocabulary = int(getattr(self.model.config, "vocab_size", 0) or 50_000)
        order = sorted(range(len(sources)), key=lambda i: len(target_ids[i]))
        out: list[float] = [0.0] * len(sources)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(target_ids[order[end]]) * vocabulary <= SCORE_LOGITS:
                end += 1
            batch = order[start:end]
            for i, value in zip(batch, self._score_batch([source_ids[i] for i in batch], [target_ids[i] for i in batch])):
                out[i] = value
            start = end
        return out

    def _score_batch(self, sources: list[list[int]], targets: list[list[int]]) -> list[float]:
        torch = self._torch
        pad = self.tokenizer.pad_token_id

        def padded(rows: list[list[int]]):
            width = max(len(row) for row in rows)
            return torch.tensor([row + [pad] * (width - len(row)) for row in rows], device=self.device)

        input_ids, labels = padded(sources), padded(targets)
        attention = torch.tensor([[1] * len(row) + [0] * (input_ids.shape[1] - len(row)) for row in sources], device=self.device)
        keep = torch.tensor([[True] * len(row) + [False] * (labels.shape[1] - len(row)) for row in targets], device=self.device)
        decoder_input_ids = self.model.prepare_decoder_input_ids_from_labels(labels=labels)
        with torch.inference_mode():
            logits = self.model(input_ids=input_ids, attention_mask=attention, decoder_input_ids=decoder_input_ids).logits
            # log P(label) = logit(label) - logsumexp(logits): no second vocabulary-wide tensor.
            chosen = logits.gather(-1, labels.unsqueeze(-1)).squeeze(-1).float() - logits.float().logsumexp(dim=-1)
        return [mean_log_prob(row[mask].tolist()) for row, mask in zip(chosen, keep)]

    def _output_length(self, row: list[int], limit: int) -> tuple[int, bool]:
        """(generated tokens including the end token, whether the end token came before the length limit).

        The row starts with the decoder start token and is padded after the end token. An end token in
        the last allowed position may be the one `forced_eos_token_id` forces there: counted as cut.
        """
        eos = self.generation_config.eos_token_id
        ends = set(eos if isinstance(eos, list) else [eos])
        for position, token in enumerate(row[1:], start=1):
            if token in ends:
                return position, position + 1 < limit
        return len(row) - 1, False

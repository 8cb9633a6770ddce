"""Seq2seq engines and the models they run: the only place that touches torch or ctranslate2.

`base` holds the `Seq2SeqEngine` protocol and its `Generated` results; `torch_engine` and
`ct2_engine` implement it (`ct2_convert` and `ct2_stream` make CTranslate2 models); `registry` maps
`--engine` names to classes; `models` finds a model (hub id and revision, local folder, Hugging Face
cache), `lock` pins moving hub revisions, `identity` says what identifies a model's weights. May import
`common`, `data` and `errors`, never the settings or the run.
"""

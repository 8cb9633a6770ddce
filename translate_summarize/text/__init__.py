"""Dutch text as it arrives, made into an `Article`: reading, parsing, sentences, spans, language.

`reader` turns bytes from a file or stdin into `SourceText`; `article` parses it into blocks;
`sentences` splits a block into sentences (pysbd); `spans` plans what of a sentence the model sees and
what is copied; `language` decides the article's language. May import `common`, `data` and `errors`.
"""

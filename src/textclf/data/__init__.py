"""Raw data: download/verify sources, read corpora, map labels to classes."""

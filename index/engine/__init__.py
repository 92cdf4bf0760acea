"""The search engine: the only package that imports whoosh.

store.py opens, searches and writes the index, through the modules it is made
of: schema.py (the fields, a paper as a document), searcher_state.py (the one
searcher and what is read from it), rewrite.py (text as typed into a query),
search.py (matches ranked, counted and paged), suggest.py (did you mean),
author_stats.py and highlights.py; analysis.py turns text into terms;
codec.py, terms.py and stored.py are how the index is kept on disk (raw posting
arrays, sorted term tables, stored papers); writer.py and workers.py write it
(on both cores); postings.py and evaluate.py answer a parsed query over whole
posting arrays with numpy.
"""

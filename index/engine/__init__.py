"""The search engine: the only package that imports whoosh.

store.py opens, searches and writes the index; analysis.py turns text into terms;
codec.py, terms.py and stored.py are how the index is kept on disk (raw posting
arrays, sorted term tables, stored papers); writer.py and workers.py write it
(on both cores); postings.py and evaluate.py answer a parsed query over whole
posting arrays with numpy.
"""

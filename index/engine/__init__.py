"""Search over the Whoosh index with numpy: posting arrays and query evaluation."""

"""casegraph: safeguarding case reviews as a knowledge graph.

>>> import casegraph
>>> graph = casegraph.open(":memory:")
>>> graph.query("stats")[0]["what"]
'documents'
"""

from __future__ import annotations

from typing import Any

from casegraph.errors import CasegraphError, NodeNotFound, StoreError, UnknownQuery, UnreadableDocument

__all__ = ["open", "Casegraph", "CasegraphError", "NodeNotFound", "StoreError", "UnknownQuery",
           "UnreadableDocument"]
__version__ = "0.1.0"


class Casegraph:
    """A store opened for notebooks and scripts: load files, run named queries,
    take subgraphs as networkx graphs."""

    def __init__(self, path: str = "casegraph.db", create: bool = True):
        from casegraph.graph.store import Store

        self.store = Store(path, create=create)

    def load(self, *paths: str, jobs: int = 1) -> Any:
        from casegraph.pipeline import load_paths

        return load_paths(self.store, paths, jobs=jobs)

    def query(self, name: str, /, *, dataframe: bool = False, **params: Any) -> Any:
        """Rows of a named query as dicts, or a pandas DataFrame if asked and installed."""
        from casegraph.graph.queries import run_query

        rows = run_query(self.store, name, **params)
        if dataframe:
            try:
                import pandas as pd
            except ImportError:
                raise CasegraphError("dataframe=True needs pandas: pip install pandas") from None
            return pd.DataFrame(rows)
        return rows

    def subgraph(self, **selection: Any) -> Any:
        """networkx graph of a case's or agency's neighbourhood (both: their union)."""
        from casegraph.graph.views import select_subgraph

        return select_subgraph(self.store, **selection)

    def to_networkx(self) -> Any:
        """The whole graph as a networkx MultiDiGraph (small stores only)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for nid, label, name, props in self.store.nodes():
            g.add_node(nid, label=label, name=name, **{k: v for k, v in props.items() if k != "label"})
        for src, rel, dst in self.store.edges():
            g.add_edge(src, dst, key=rel, rel=rel)
        return g

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Casegraph:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


def open(path: str = "casegraph.db", create: bool = True) -> Casegraph:  # noqa: A001
    """Open (or create) an embedded store."""
    return Casegraph(path, create=create)

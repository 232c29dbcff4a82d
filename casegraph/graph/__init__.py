"""ReviewRecords in, graph out: the stores, named queries, views and exports."""

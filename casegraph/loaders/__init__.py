"""Documents in, ReviewRecords out: format readers, extractors, cross-document resolution."""

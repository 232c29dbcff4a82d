"""The data model: records passed between stages and the controlled vocabulary."""

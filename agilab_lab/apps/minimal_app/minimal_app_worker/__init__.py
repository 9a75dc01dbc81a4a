"""Worker package of minimal_app (shipped to workers; imports only ``agilab_node``)."""

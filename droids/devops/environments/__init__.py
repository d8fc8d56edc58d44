"""Environment rules (OPS020-OPS023): the dev, staging and prod configurations compared key by key."""

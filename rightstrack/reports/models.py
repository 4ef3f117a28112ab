"""Reports are generated from the other apps' data on request; nothing of them is stored."""

"""What every endpoint of the JSON API (/api/v1/) shares: bounded inputs (inputs), pagination
(pagination), endpoints documented by their docstrings and lists declared by what they list
(endpoints), shared and derived schemas (schemas), and publishable writes (writes)."""

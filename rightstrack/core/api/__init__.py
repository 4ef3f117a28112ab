"""What every endpoint of the JSON API (/api/v1/) shares: bounded inputs, pagination, the
shapes of terms, and list and detail endpoints declared in one line each."""

"""Running the salon's software: the dashboard's cache figures, once-per-period jobs, the demo
salon."""

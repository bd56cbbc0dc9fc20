"""The catalogue pages: services, each stylist's offered services and prices, profiles."""

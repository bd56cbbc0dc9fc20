"""The catalogue: services, what each stylist offers at what price, the stylist's public
profile."""

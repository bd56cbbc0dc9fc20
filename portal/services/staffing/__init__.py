"""Who becomes a stylist: the promotion workflow and the stylist profiles it creates,
reactivates and deactivates."""

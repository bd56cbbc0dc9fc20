"""Reports: revenue, utilisation, no-shows and busy hours for a period (admins and auditors)."""

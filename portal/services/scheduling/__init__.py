"""Stylists' hours: weekly schedules, overrides and closures, public holidays and their
imports, change budgets, and the pages that read them (salon day, a stylist's overview)."""

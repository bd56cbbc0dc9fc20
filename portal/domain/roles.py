"""The portal's roles and their names for people."""
from types import MappingProxyType

from portal.domain.translatable import N_

ROLE_LABELS = MappingProxyType({"admin": N_("Admin"), "auditor": N_("Auditor"), "stylist": N_("Stylist"), "customer": N_("Customer")})


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.capitalize())

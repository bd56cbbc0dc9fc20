"""The portal's roles and their names for people."""
from types import MappingProxyType

ROLE_LABELS = MappingProxyType({"admin": "Admin", "auditor": "Auditor", "stylist": "Stylist", "customer": "Customer"})


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.capitalize())

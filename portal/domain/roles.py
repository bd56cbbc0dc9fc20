"""The portal's roles, their names for people and who must use two-step sign-in: the one
home of the role vocabulary (models, services, views and templates import it)."""
from types import MappingProxyType

from portal.domain.translatable import N_

ADMIN, AUDITOR, STYLIST, CUSTOMER = "admin", "auditor", "stylist", "customer"
ROLE_NAMES = (ADMIN, AUDITOR, STYLIST, CUSTOMER)
ROLE_LABELS = MappingProxyType({ADMIN: N_("Admin"), AUDITOR: N_("Auditor"), STYLIST: N_("Stylist"),
                                CUSTOMER: N_("Customer")})


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.capitalize())

"""Typed SQLAlchemy 2 models: one module per part of the schema (spec/schema.md)."""
from portal.models.bookings import Booking, BookingFollowUp, BookingReservation
from portal.models.catalog import Service, StylistProfile, StylistSchedule, StylistService
from portal.models.customers import Customer, CustomerPhone
from portal.models.logs import (
    AvailabilityCache, AvailabilityDayGeneration, AvailabilityGeneration, ScheduleChangeLog, ServiceManagementLog,
    SlotRequestStat,
)
from portal.models.messages import BookingLink, MessageChannel, MessageTemplate, OutboundMessage, PeriodicRun
from portal.models.people import Role, UserProfile, UserRole
from portal.models.security import (
    AdminRoleProposal, CredentialResetProposal, MfaRecoveryCode, PasswordLink, UserMfa,
)
from portal.models.scheduling import ScheduleOverride, StylistOverrideBudget, StylistPromotion
from portal.models.time_off import TimeOffRequest

__all__ = [
    "AdminRoleProposal", "AvailabilityCache", "AvailabilityDayGeneration", "AvailabilityGeneration", "Booking",
    "BookingFollowUp",
    "BookingReservation", "CredentialResetProposal", "Customer", "CustomerPhone", "MfaRecoveryCode", "PasswordLink",
    "Role", "ScheduleChangeLog",
    "ScheduleOverride", "Service", "ServiceManagementLog", "SlotRequestStat", "StylistOverrideBudget",
    "StylistProfile", "StylistPromotion", "StylistSchedule", "StylistService", "TimeOffRequest",
    "UserMfa", "UserProfile", "UserRole",
    "BookingLink", "MessageChannel", "MessageTemplate", "OutboundMessage", "PeriodicRun",
]

"""Time off: stylists' requests and admins' decisions."""

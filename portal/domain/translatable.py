"""`N_`: marks a message for the translation catalogue without translating it here.

Pure code (domain, services) writes its messages in English inside `N_(...)`; the page
that shows one translates it with gettext (`portal.i18n.translate`). `pybabel extract`
is told `-k N_`, so every marked message is in the catalogue.
"""


def N_(message: str) -> str:
    return message


def Np_(singular: str, plural: str) -> str:
    """`N_` for a message with a plural form (extracted with `-k Np_:1,2`)."""
    return singular

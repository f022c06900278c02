"""The account security pages act only on the signed-in user's own account."""

SIGNED_IN_ONLY = [
    "accounts:security",
    "accounts:password_change",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:recovery_codes_new",
    "accounts:two_factor_off",
    "accounts:sign_out_elsewhere",
]

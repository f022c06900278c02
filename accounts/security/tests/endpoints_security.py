"""The account security pages act only on the signed-in user's own account."""

SIGNED_IN_ONLY = [
    "accounts:security",
    "accounts:password_change",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:recovery_codes_new",
    "accounts:two_factor_off",
    "accounts:sign_out_elsewhere",
    "accounts:device_pin",
    "accounts:api_token_revoke",
    "get /api/auth/tokens",
    "delete /api/auth/tokens/{token_id}",
]

# The PIN form of the sign-in page: it works only with the phone's own device key.
PUBLIC = ["accounts:pin_sign_in"]

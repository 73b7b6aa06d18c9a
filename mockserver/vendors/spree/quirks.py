"""Defects of the real Spree 4.10.1 the mock reproduces when asked (`MockConfig.quirks`).

Each is a name the server's quirk switch turns on; without it the mock answers as the API is
documented to behave.
"""

from __future__ import annotations

# `StoreCredit` no longer validates its user (4.10 made `belongs_to` optional), so a credit
# saved with no user, or a `user_id` naming nobody, passes validation and crashes in
# `after_save :store_event` (`nil.total_available_store_credit`): 500. Spree 4.5-4.8 answered
# 422 "User can't be blank", which the mock gives without the quirk.
MISSING_USER_500 = "spree-missing-user-500"

"""Defects of the real Spree 4.10.1 the mock reproduces by default (`vendor` fidelity).

`--fidelity spec` answers as the API is documented to behave instead; `mockserver quirks`
lists them.
"""

from __future__ import annotations

from mockserver.fidelity import Quirk

MISSING_USER_500 = Quirk(
    name="spree-missing-user-500",
    vendor_does="a store credit without a user, or with a `user_id` naming nobody, passes "
    "validation (4.10 made `belongs_to :user` optional) and crashes in `after_save "
    ":store_event` (nil.total_available_store_credit): 500 "
    '{"status":500,"error":"Internal Server Error"}',
    spec_does='422 {error: "User can\'t be blank", errors: {user: ["can\'t be blank"]}}, '
    "as Spree 4.5-4.8 answered",
    evidence="Spree v4.10.1 source: core/app/models/spree/store_credit.rb (optional belongs_to, "
    "after_save :store_event) and the platform resource_controller's create",
)

QUIRKS = (MISSING_USER_500,)

"""One sub-package per vendor API; each exposes `VENDOR` (see `mockserver.vendor.Vendor`)."""

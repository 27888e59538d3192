"""Alert detection on write; filled in below."""

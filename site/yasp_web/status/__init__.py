"""Status pages of the yasp site."""

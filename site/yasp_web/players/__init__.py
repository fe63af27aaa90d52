"""Players pages of the yasp site."""

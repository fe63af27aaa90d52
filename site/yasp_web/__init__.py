"""The Django project that serves yasp's players: match and player pages, sign-in, status."""

"""Stage 4: stream a replay from Valve's CDN, parse it and build the parsed-match document."""

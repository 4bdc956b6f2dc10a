"""Layer 2 (extract): turn listing files and records into Listings whose fields point back into the source."""

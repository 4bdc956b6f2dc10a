"""Layer 3 (engine): rule specs, rule kinds, detectors and the lint loop."""

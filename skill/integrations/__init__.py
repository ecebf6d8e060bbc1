"""Ways for other systems to drive the skill (Wyoming for smart speakers)."""

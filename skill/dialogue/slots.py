"""The slots of CONTRACT.md section 2: every key always present."""

from __future__ import annotations

from typing import Any

LIST_SLOTS = ("triggers", "medications", "conditions", "red_flags")
SCALAR_SLOTS = ("cramp_now", "location", "side", "onset", "frequency", "duration")
SLOT_ORDER = ("cramp_now", "location", "side", "onset", "triggers", "medications",
              "conditions", "red_flags", "frequency", "duration")

VOCABULARY: dict[str, tuple[Any, ...]] = {
    "cramp_now": (True, False),
    "location": ("calf", "foot", "shin", "front_thigh", "back_thigh"),
    "side": ("left", "right", "both"),
    "onset": ("night", "exercise", "walking", "rest", "anytime"),
    "triggers": ("exercise", "dehydration", "heat", "prolonged_position", "tight_clothing",
                 "new_medication", "pregnancy", "alcohol", "toxin"),
    "medications": ("diuretic", "statin", "beta_agonist", "blood_pressure", "other"),
    "conditions": ("diabetes", "thyroid", "kidney", "pad", "smoking", "neurological",
                   "pregnancy"),
    "red_flags": ("swelling", "redness", "warmth", "cold", "pale_or_blue", "numbness",
                  "tingling", "weakness", "sores", "skin_changes", "chest_pain", "breathless",
                  "severe_pain"),
    "frequency": ("rare", "weekly", "several_per_week", "daily"),
    "duration": ("seconds", "minutes", "over_10_minutes"),
}
CAUSES = ("muscle_fatigue", "dehydration", "electrolyte_imbalance", "medication",
          "poor_circulation", "nerve_compression", "peripheral_neuropathy", "prolonged_position",
          "pregnancy", "thyroid", "kidney_disease", "neurological_condition", "restless_legs",
          "blood_clot", "idiopathic_night_cramps")


def empty_slots() -> dict[str, Any]:
    return {name: ([] if name in LIST_SLOTS else None) for name in SLOT_ORDER}


def is_valid(slot: str, value: Any) -> bool:
    return slot in VOCABULARY and value in VOCABULARY[slot]
